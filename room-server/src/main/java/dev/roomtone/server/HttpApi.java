package dev.roomtone.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.roomtone.gpu.device.DeviceDiscovery;
import dev.roomtone.gpu.device.Discovery;
import dev.roomtone.protocol.v1.ErrorCode;
import dev.roomtone.server.http.Json;
import dev.roomtone.server.http.RoomApi;
import dev.roomtone.server.http.ServerMetrics;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.http.javadsl.marshallers.jackson.Jackson;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.ExceptionHandler;
import org.apache.pekko.http.javadsl.server.MalformedRequestContentRejection;
import org.apache.pekko.http.javadsl.server.MethodRejection;
import org.apache.pekko.http.javadsl.server.RejectionHandler;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.http.javadsl.server.UnsupportedRequestContentTypeRejection;
import org.apache.pekko.http.scaladsl.model.EntityStreamSizeException;

/** The HTTP routes of the server: the REST API and WebSockets under /api, metrics, and the web client at /. */
public final class HttpApi extends AllDirectives {

  /** Classpath folder where the web-client module packs the built browser app. */
  static final String WEB_ROOT = "web";

  private final ObjectMapper json;
  private final Health health;
  private final RoomApi rooms;
  private final ServerMetrics metrics;
  private final CompletionStage<Discovery> devices;

  public HttpApi(ObjectMapper json, String version, RoomApi rooms, ServerMetrics metrics) {
    this(json, version, rooms, metrics, CompletableFuture.supplyAsync(() -> new DeviceDiscovery().discover()));
  }

  /** With the server's device discovery, run once at start (it may still be running). */
  public HttpApi(ObjectMapper json, String version, RoomApi rooms, ServerMetrics metrics, CompletionStage<Discovery> devices) {
    this.json = json;
    this.health = Health.ok(version);
    this.rooms = rooms;
    this.metrics = metrics;
    this.devices = devices;
  }

  private Route jsonError(int status, ErrorCode code, String message) {
    return complete(StatusCodes.get(status), new ApiError(code.name(), message), Jackson.marshaller(json));
  }

  /** Error body of the REST API: a code clients branch on, and a message for people. */
  record ApiError(String code, String message) {
  }

  public Route routes() {
    RejectionHandler rejections = RejectionHandler.newBuilder()
        .handle(MalformedRequestContentRejection.class, r -> r.getCause() instanceof EntityStreamSizeException
            ? jsonError(413, ErrorCode.TOO_LARGE, "The request body is too large.")
            : jsonError(400, ErrorCode.BAD_FRAME, Json.describe(r.getCause())))
        .handle(UnsupportedRequestContentTypeRejection.class, r ->
            jsonError(415, ErrorCode.BAD_FRAME, "Send the body as application/json."))
        .handleAll(MethodRejection.class, r ->
            jsonError(405, ErrorCode.BAD_FRAME, "This endpoint does not accept that method."))
        .handleNotFound(jsonError(404, ErrorCode.NOT_FOUND, "There is no such endpoint."))
        .build();
    ExceptionHandler exceptions = ExceptionHandler.newBuilder()
        .match(EntityStreamSizeException.class, e -> jsonError(413, ErrorCode.TOO_LARGE, "The request body is too large."))
        .build();
    return concat(
        pathPrefix("api", () -> handleExceptions(exceptions, () -> handleRejections(rejections, () -> concat(
            path("health", () -> get(() -> complete(StatusCodes.OK, health, Jackson.marshaller(json)))),
            path("devices", () -> get(() -> onSuccess(devices, d -> complete(StatusCodes.OK, d, Jackson.marshaller(json))))),
            rooms.apiRoutes())))),
        rooms.yjsRoutes(),
        path("metrics", () -> get(() -> complete(StatusCodes.OK,
            HttpEntities.create(ContentTypes.parse("text/plain; version=0.0.4; charset=utf-8"),
                metrics.scrape().getBytes(java.nio.charset.StandardCharsets.UTF_8))))),
        get(() -> concat(
            pathSingleSlash(() -> getFromResource(WEB_ROOT + "/index.html")),
            // the browser app's own pages: a room, the join page
            pathPrefix("rooms", () -> getFromResource(WEB_ROOT + "/index.html")),
            path("join", () -> getFromResource(WEB_ROOT + "/index.html")),
            getFromResourceDirectory(WEB_ROOT))));
  }
}
