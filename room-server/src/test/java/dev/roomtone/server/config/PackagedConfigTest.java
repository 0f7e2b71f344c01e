package dev.roomtone.server.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The runnable jar has a single reference.conf: every library's, appended one after another with
 * Roomtone's first, so for a key set twice the library's default comes later and wins. Roomtone's
 * settings for its libraries must therefore not depend on that file's order.
 */
class PackagedConfigTest {

  @Test
  void roomtonesPekkoSettingsWinOverThePekkoDefaultsInTheMergedJarConfig() throws IOException {
    List<URL> references = Collections.list(getClass().getClassLoader().getResources("reference.conf"));
    assertTrue(references.size() > 5, "the libraries' reference.conf files: " + references);
    List<URL> ordered = new ArrayList<>(references);
    // as the jar has them: the project's own first, then the libraries'
    ordered.sort((a, b) -> Boolean.compare(!a.toString().contains("room-server"), !b.toString().contains("room-server")));
    StringBuilder merged = new StringBuilder();
    for (URL u : ordered) {
      try (InputStream in = u.openStream()) {
        merged.append(new String(in.readAllBytes(), StandardCharsets.UTF_8)).append('\n');
      }
    }
    Config jar = ConfigFactory.parseResources("application.conf")
        .withFallback(ConfigFactory.parseString(merged.toString()))
        .resolve();
    assertEquals("120s", jar.getString("pekko.http.server.idle-timeout"));
    assertEquals("15s", jar.getString("pekko.http.server.websocket.periodic-keep-alive-max-idle"));
    assertEquals("fail", jar.getString("pekko.persistence.typed.stash-overflow-strategy"));
    assertEquals(List.of("org.apache.pekko.event.slf4j.Slf4jLogger"), jar.getStringList("pekko.loggers"));
    assertEquals(8080, jar.getInt("roomtone.port"), "Roomtone's own defaults are still there");
  }
}
