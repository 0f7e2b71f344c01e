package dev.roomtone.script.screenplay;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/** The sample script the tests, the README pages and the docs share. */
public final class Samples {

  private Samples() {
  }

  public static String sample() throws IOException {
    try (InputStream in = Samples.class.getResourceAsStream("/screenplay/sample.fountain")) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
