package dev.roomtone.server;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Properties;

/** The version of this build, as the Maven build stamped it into version.properties. */
public final class RoomtoneVersion {

  private static final String RESOURCE = "version.properties";

  private RoomtoneVersion() {}

  /** Returns the project version, e.g. {@code 0.1.0-SNAPSHOT}. */
  public static String current() {
    try (InputStream in = RoomtoneVersion.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(RESOURCE + " is missing from the classpath: broken build");
      }
      Properties properties = new Properties();
      properties.load(new InputStreamReader(in, StandardCharsets.UTF_8));
      return properties.getProperty("version");
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read " + RESOURCE, e);
    }
  }
}
