package dev.roomtone.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.pekko.http.javadsl.marshallers.jackson.Jackson;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;

/** The HTTP routes of the server: the REST API under /api and the web client at /. */
public final class HttpApi extends AllDirectives {

  /** Classpath folder where the web-client module packs the built browser app. */
  static final String WEB_ROOT = "web";

  private final ObjectMapper json;
  private final Health health;

  public HttpApi(ObjectMapper json, String version) {
    this.json = json;
    this.health = Health.ok(version);
  }

  public Route routes() {
    return concat(
        pathPrefix("api", () ->
            path("health", () ->
                get(() -> complete(StatusCodes.OK, health, Jackson.marshaller(json))))),
        get(() -> concat(
            pathSingleSlash(() -> getFromResource(WEB_ROOT + "/index.html")),
            getFromResourceDirectory(WEB_ROOT))));
  }
}
