package dev.roomtone.server.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.roomtone.actors.Result;
import dev.roomtone.actors.room.RoomCommand;
import dev.roomtone.protocol.v1.ErrorCode;
import dev.roomtone.script.screenplay.ScreenplayExporter;
import dev.roomtone.script.screenplay.ScriptFormat;
import dev.roomtone.script.screenplay.SharedScript;
import dev.roomtone.server.auth.Tokens;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.http.javadsl.marshallers.jackson.Jackson;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCode;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * {@code GET /api/rooms/{id}/export?format=pdf|fdx|fountain|txt}: the room's script as a file,
 * named after the room.
 * Any member may export (viewers too). Unknown room 404; no or bad token, a token of another room
 * or of a removed member 401, as on the rest of the API; a bad format 400; errors are JSON.
 */
final class ExportRoute extends AllDirectives {

  private final ObjectMapper json;
  private final RoomClient client;
  private final Tokens tokens;
  private final ServerMetrics metrics;

  ExportRoute(ObjectMapper json, RoomClient client, Tokens tokens, ServerMetrics metrics) {
    this.json = json;
    this.client = client;
    this.tokens = tokens;
    this.metrics = metrics;
  }

  /** The reply for one export request, worked out off the route (the room's answer, then the conversion). */
  private sealed interface Outcome {
    record File(ScriptFormat format, DownloadName name, byte[] bytes) implements Outcome {
    }

    record Refused(StatusCode status, ErrorCode code, String message) implements Outcome {
    }
  }

  Route route(String roomId) {
    return optionalHeaderValueByName("Authorization", header -> parameterOptional("format", format -> {
      String token = header.filter(h -> h.regionMatches(true, 0, "Bearer ", 0, 7))
          .map(h -> h.substring(7).strip()).orElse(null);
      return onComplete(export(roomId, token, format), attempt -> {
        Outcome o = attempt.isSuccess() ? attempt.get()
            : new Outcome.Refused(StatusCodes.INTERNAL_SERVER_ERROR, ErrorCode.INTERNAL,
                "The room did not answer in time; try again.");
        return switch (o) {
          case Outcome.File f -> {
            metrics.request(200);
            yield complete(HttpResponse.create()
                .withStatus(StatusCodes.OK)
                .withEntity(HttpEntities.create(ContentTypes.parse(f.format().mediaType()), f.bytes()))
                .addHeader(RawHeader.create("Content-Disposition", f.name().contentDisposition())));
          }
          case Outcome.Refused r -> {
            metrics.request(r.status().intValue());
            yield complete(r.status(), Json.Error.of(r.code(), r.message()), Jackson.marshaller(json));
          }
        };
      });
    }));
  }

  private CompletionStage<Outcome> export(String roomId, String token, Optional<String> formatName) {
    return client.name(roomId).thenCompose(roomName -> {
      if (roomName.isEmpty()) {
        return done(new Outcome.Refused(StatusCodes.NOT_FOUND, ErrorCode.UNKNOWN_ROOM, "There is no room " + roomId + "."));
      }
      Tokens.Member member;
      switch (tokens.verify(token)) {
        case Result.Ok<Tokens.Member> ok -> member = ok.value();
        case Result.Refused<Tokens.Member> no -> {
          return done(new Outcome.Refused(StatusCodes.UNAUTHORIZED, no.refusal().code(), no.refusal().message()));
        }
      }
      if (!member.roomId().equals(roomId)) {
        return done(new Outcome.Refused(StatusCodes.UNAUTHORIZED, ErrorCode.UNAUTHENTICATED,
            "This token belongs to another room."));
      }
      Optional<ScriptFormat> format = formatName.flatMap(ScriptFormat::named);
      if (format.isEmpty()) {
        String got = formatName.map(f -> "'" + f + "' is not one of them").orElse("none was given");
        return done(new Outcome.Refused(StatusCodes.BAD_REQUEST, ErrorCode.BAD_FRAME,
            "\"format\" must be one of " + String.join(", ", List.of("pdf", "fdx", "fountain", "txt")) + "; " + got + "."));
      }
      return client.<RoomCommand.MemberView>ask(roomId, r -> new RoomCommand.CheckMember(member.memberId(), r))
          .thenCompose(checked -> switch (checked) {
            case Result.Refused<RoomCommand.MemberView> no -> done(new Outcome.Refused(StatusCodes.UNAUTHORIZED,
                ErrorCode.UNAUTHENTICATED, no.refusal().message()));
            case Result.Ok<RoomCommand.MemberView> ok -> client.<byte[]>ask(roomId, RoomCommand.GetDocument::new)
                .thenApplyAsync(doc -> switch (doc) {
                  case Result.Refused<byte[]> no -> new Outcome.Refused(StatusCodes.NOT_FOUND, no.refusal().code(),
                      no.refusal().message());
                  // the conversion (a PDF of a feature script) runs off the actor and HTTP threads
                  case Result.Ok<byte[]> update -> new Outcome.File(format.get(),
                      DownloadName.of(roomName.get(), roomId, format.get().extension()), new ScreenplayExporter()
                      .export(SharedScript.screenplay(SharedScript.decode(update.value())), format.get()));
                });
          });
    });
  }

  private static CompletionStage<Outcome> done(Outcome o) {
    return CompletableFuture.completedFuture(o);
  }
}
