package dev.roomtone.server.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.roomtone.actors.Ids;
import dev.roomtone.actors.Refusal;
import dev.roomtone.actors.Result;
import dev.roomtone.actors.room.RoomCommand;
import dev.roomtone.actors.room.RoomNames;
import dev.roomtone.actors.session.Session;
import dev.roomtone.protocol.v1.ErrorCode;
import dev.roomtone.protocol.v1.Role;
import dev.roomtone.server.ai.AssetStore;
import dev.roomtone.server.auth.Tokens;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import org.apache.pekko.http.javadsl.marshallers.jackson.Jackson;
import org.apache.pekko.http.javadsl.model.ContentType;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpHeader;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.MediaType;
import org.apache.pekko.http.javadsl.model.MediaTypes;
import org.apache.pekko.http.javadsl.model.StatusCode;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.model.headers.Origin;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.PathMatchers;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * The room API: create rooms, invite, join, manage members (REST, JSON), and the two WebSocket
 * endpoints. Every room-scoped request carries a member token; the room decides what it may do.
 */
public final class RoomApi extends AllDirectives {

  static final int ROOM_ID_LENGTH = 10;
  private static final int INVITE_ID_LENGTH = 8;
  private static final Duration DEFAULT_INVITE_VALIDITY = Duration.ofDays(3);

  private final ObjectMapper json;
  private final RoomClient client;
  private final Tokens tokens;
  private final Sockets sockets;
  private final Ids ids;
  private final java.util.function.Supplier<String> publicUrl;
  private final List<String> allowedOrigins;
  private final int requestBytes;
  private final ServerMetrics metrics;
  private final ExportRoute export;

  public RoomApi(ObjectMapper json, RoomClient client, Tokens tokens, Sockets sockets, Ids ids,
                 java.util.function.Supplier<String> publicUrl,
                 List<String> allowedOrigins, int requestBytes, ServerMetrics metrics, AssetStore assets) {
    this.assets = assets;
    this.json = json;
    this.client = client;
    this.tokens = tokens;
    this.sockets = sockets;
    this.ids = ids;
    this.publicUrl = publicUrl;
    this.allowedOrigins = allowedOrigins;
    this.requestBytes = requestBytes;
    this.metrics = metrics;
    this.export = new ExportRoute(json, client, tokens, metrics);
  }

  private final AssetStore assets;

  // ---- responses

  private static StatusCode status(ErrorCode code) {
    return switch (code) {
      case UNAUTHENTICATED -> StatusCodes.UNAUTHORIZED;
      case FORBIDDEN -> StatusCodes.FORBIDDEN;
      case NOT_FOUND, UNKNOWN_ROOM -> StatusCodes.NOT_FOUND;
      case LIMIT_REACHED, RATE_LIMITED -> StatusCodes.TOO_MANY_REQUESTS;
      case INTERNAL -> StatusCodes.INTERNAL_SERVER_ERROR;
      default -> StatusCodes.BAD_REQUEST;
    };
  }

  Route error(ErrorCode code, String message) {
    StatusCode status = status(code);
    metrics.request(status.intValue());
    return complete(status, Json.Error.of(code, message), Jackson.marshaller(json));
  }

  private Route error(Refusal refusal) {
    return error(refusal.code(), refusal.message());
  }

  private <T> Route ok(StatusCode status, T body) {
    metrics.request(status.intValue());
    return complete(status, body, Jackson.marshaller(json));
  }

  private <T> Route onResult(CompletionStage<Result<T>> stage, Function<T, Route> onOk) {
    return onComplete(stage, attempt -> {
      if (attempt.isFailure()) {
        return error(ErrorCode.INTERNAL, "The room did not answer in time; try again.");
      }
      return switch (attempt.get()) {
        case Result.Ok<T> ok -> onOk.apply(ok.value());
        case Result.Refused<T> no -> error(no.refusal());
      };
    });
  }

  private <T> Route body(Class<T> type, Function<T, Route> inner) {
    return withSizeLimit(requestBytes, () -> entity(Jackson.unmarshaller(json, type), b -> {
      if (b == null) {
        return error(ErrorCode.BAD_FRAME, "The request needs a JSON body.");
      }
      return inner.apply(b);
    }));
  }

  /** The member a request's bearer token names, checked for {@code roomId}. */
  private Route member(String roomId, Function<Tokens.Member, Route> inner) {
    return optionalHeaderValueByName("Authorization", header -> {
      String token = header.filter(h -> h.regionMatches(true, 0, "Bearer ", 0, 7)).map(h -> h.substring(7).strip()).orElse(null);
      return switch (tokens.verifyFor(token, roomId)) {
        case Result.Ok<Tokens.Member> ok -> inner.apply(ok.value());
        case Result.Refused<Tokens.Member> no -> error(no.refusal());
      };
    });
  }

  private String base() {
    return publicUrl.get();
  }

  private String memberLink(String roomId, String token) {
    return base() + "/rooms/" + roomId + "#token=" + token;
  }

  // ---- routes

  /** Routes under /api (the caller strips that prefix). */
  public Route apiRoutes() {
    return concat(
        path("rooms", () -> post(this::createRoom)),
        path("join", () -> post(this::join)),
        path(PathMatchers.segment("join").slash("preview"), () -> post(this::previewInvite)),
        pathPrefix(PathMatchers.segment("rooms").slash(PathMatchers.segment()), roomId -> concat(
            pathEnd(() -> put(() -> member(roomId, m -> renameRoom(roomId, m)))),
            path("ws", () -> get(() -> checkOrigin(() -> roomtoneSocket(roomId)))),
            path("export", () -> get(() -> export.route(roomId))),
            path(PathMatchers.segment("assets").slash(PathMatchers.segment()), name -> get(() -> asset(roomId, name))),
            pathPrefix("invites", () -> concat(
                pathEnd(() -> concat(
                    post(() -> member(roomId, m -> createInvite(roomId, m))),
                    get(() -> member(roomId, m -> listInvites(roomId, m))))),
                path(PathMatchers.segment(), inviteId -> delete(() -> member(roomId, m -> revokeInvite(roomId, m, inviteId)))))),
            path("ai-disclosure", () -> get(() -> member(roomId, m -> disclosure(roomId, m)))),
            path("ai-policy", () -> put(() -> member(roomId, m -> setAiPolicy(roomId, m)))),
            pathPrefix("members", () -> concat(
                pathEnd(() -> get(() -> member(roomId, m -> listMembers(roomId, m)))),
                pathPrefix(PathMatchers.segment(), memberId -> concat(
                    path("role", () -> put(() -> member(roomId, m -> changeRole(roomId, m, memberId)))),
                    path("name", () -> put(() -> member(roomId, m -> renameMember(roomId, m, memberId)))),
                    pathEnd(() -> delete(() -> member(roomId, m -> removeMember(roomId, m, memberId)))))))))));
  }

  /** The plain y-websocket endpoint, /yjs/{room}?token=..., where any Yjs editor can connect. */
  public Route yjsRoutes() {
    return path(PathMatchers.segment("yjs").slash(PathMatchers.segment()), roomId ->
        get(() -> checkOrigin(() -> yWebsocket(roomId))));
  }

  /** Browsers send their page's origin: only the allowed ones (by default this server's own) may connect. */
  private Route checkOrigin(java.util.function.Supplier<Route> inner) {
    return optionalHeaderValueByType(Origin.class, origin -> headerValueByName("Host", host -> {
      if (origin.isEmpty() || origin.get().getOrigins().iterator().hasNext() == false) {
        return inner.get(); // not a browser: the token decides
      }
      String o = origin.get().getOrigins().iterator().next().toString();
      boolean allowed = allowedOrigins.isEmpty()
          ? o.equals("http://" + host) || o.equals("https://" + host)
          : allowedOrigins.contains(o);
      return allowed ? inner.get() : error(ErrorCode.FORBIDDEN, "Connections from " + o + " are not allowed.");
    }));
  }

  private Route createRoom() {
    return body(Json.CreateRoom.class, req -> {
      // checked before the room is registered: a refused request must not take a place in the directory
      String name = RoomNames.clean(req.name());
      if (name == null || RoomNames.clean(req.showrunnerName()) == null) {
        return error(ErrorCode.BAD_FRAME, "Room and showrunner names " + RoomNames.RULE);
      }
      String roomId = ids.next(ROOM_ID_LENGTH);
      CompletionStage<Result<RoomCommand.MemberView>> created = client.register(roomId, name).thenCompose(r -> switch (r) {
        case Result.Ok<String> ok -> client.<RoomCommand.MemberView>ask(roomId,
            replyTo -> new RoomCommand.Create(req.name(), req.showrunnerName(), replyTo));
        case Result.Refused<String> no -> CompletableFuture.completedFuture(Result.refused(no.refusal()));
      });
      return onResult(created, m -> {
        metrics.roomCreated();
        String token = tokens.issue(roomId, m.memberId());
        return ok(StatusCodes.CREATED, new Json.RoomCreated(roomId, name, Json.Member.of(m), token, memberLink(roomId, token)));
      });
    });
  }

  private Route createInvite(String roomId, Tokens.Member by) {
    return body(Json.CreateInvite.class, req -> {
      Role role = Json.role(req.role());
      if (role == null) {
        return error(ErrorCode.BAD_FRAME, "\"role\" must be viewer, writer or showrunner.");
      }
      Duration validFor = req.validForHours() == null ? DEFAULT_INVITE_VALIDITY : Duration.ofHours(req.validForHours());
      int maxUses = req.maxUses() == null ? 0 : req.maxUses();
      return onResult(client.<RoomCommand.InviteIssued>ask(roomId,
              r -> new RoomCommand.CreateInvite(by.memberId(), role, validFor, maxUses, r)),
          inv -> {
            String code = roomId + "." + inv.inviteId() + "." + inv.secret();
            return ok(StatusCodes.CREATED, new Json.Invite(inv.inviteId(), code, Json.roleName(inv.role()), inv.expiresAt(),
                base() + "/join#code=" + code));
          });
    });
  }

  private Route listInvites(String roomId, Tokens.Member by) {
    return onResult(client.<List<RoomCommand.InviteView>>ask(roomId, r -> new RoomCommand.ListInvites(by.memberId(), r)),
        list -> ok(StatusCodes.OK, new Json.Invites(list.stream().map(Json.OpenInvite::of).toList())));
  }

  private Route revokeInvite(String roomId, Tokens.Member by, String inviteId) {
    return onResult(client.<RoomCommand.InviteView>ask(roomId, r -> new RoomCommand.RevokeInvite(by.memberId(), inviteId, r)),
        revoked -> {
          metrics.request(204);
          return complete(HttpResponse.create().withStatus(StatusCodes.NO_CONTENT));
        });
  }

  /** An invite code's parts (room, invite, secret), or null when it cannot be one. */
  private static String[] inviteParts(String code) {
    String[] parts = code == null ? new String[0] : code.strip().split("\\.", -1);
    return parts.length == 3 && Ids.looksValid(parts[0], ROOM_ID_LENGTH) && Ids.looksValid(parts[1], INVITE_ID_LENGTH)
        ? parts : null;
  }

  /** What an invite leads to, for the join page to show before the name is asked: the code travels in the body, not the URL. */
  private Route previewInvite() {
    return body(Json.InviteCode.class, req -> {
      String[] parts = inviteParts(req.code());
      if (parts == null) {
        return error(ErrorCode.NOT_FOUND, "This invite code is not valid.");
      }
      CompletionStage<Result<RoomCommand.InvitePreview>> preview = client.exists(parts[0]).thenCompose(exists -> exists
          ? client.<RoomCommand.InvitePreview>ask(parts[0], r -> new RoomCommand.PreviewInvite(parts[1], parts[2], r))
          : CompletableFuture.completedFuture(Result.refused(ErrorCode.NOT_FOUND, "This invite code is not valid.")));
      return onResult(preview, p -> ok(StatusCodes.OK,
          new Json.InvitePreview(parts[0], p.roomName(), Json.roleName(p.role()), p.expiresAt())));
    });
  }

  private Route join() {
    return body(Json.Join.class, req -> {
      String[] parts = inviteParts(req.code());
      if (parts == null) {
        return error(ErrorCode.NOT_FOUND, "This invite code is not valid.");
      }
      String roomId = parts[0];
      CompletionStage<Result<RoomCommand.MemberView>> joined = client.exists(roomId).thenCompose(exists -> exists
          ? client.<RoomCommand.MemberView>ask(roomId, r -> new RoomCommand.Join(parts[1], parts[2], req.displayName(), r))
          : CompletableFuture.completedFuture(Result.refused(ErrorCode.NOT_FOUND, "This invite code is not valid.")));
      return onResult(joined, m -> {
        String token = tokens.issue(roomId, m.memberId());
        return ok(StatusCodes.OK, new Json.Joined(roomId, Json.Member.of(m), token, memberLink(roomId, token)));
      });
    });
  }

  private Route listMembers(String roomId, Tokens.Member by) {
    return onResult(client.<List<RoomCommand.MemberView>>ask(roomId, r -> new RoomCommand.ListMembers(by.memberId(), r)),
        list -> ok(StatusCodes.OK, new Json.Members(list.stream().map(Json.Member::of).toList())));
  }

  private Route changeRole(String roomId, Tokens.Member by, String memberId) {
    return body(Json.ChangeRole.class, req -> {
      Role role = Json.role(req.role());
      if (role == null) {
        return error(ErrorCode.BAD_FRAME, "\"role\" must be viewer, writer or showrunner.");
      }
      return onResult(client.<RoomCommand.MemberView>ask(roomId, r -> new RoomCommand.ChangeRole(by.memberId(), memberId, role, r)),
          m -> ok(StatusCodes.OK, Json.Member.of(m)));
    });
  }

  private Route renameRoom(String roomId, Tokens.Member by) {
    return body(Json.RenameRoom.class, req -> onResult(client.<String>ask(roomId,
            r -> new RoomCommand.RenameRoom(by.memberId(), req.name(), r))
            // the directory names export files after the room: it learns the name the room stored
            .thenCompose(named -> named instanceof Result.Ok<String> ok
                ? client.renamed(roomId, ok.value()).thenApply(done -> named) : CompletableFuture.completedFuture(named)),
        name -> ok(StatusCodes.OK, new Json.RoomRenamed(roomId, name))));
  }

  private Route renameMember(String roomId, Tokens.Member by, String memberId) {
    return body(Json.Rename.class, req -> onResult(client.<RoomCommand.MemberView>ask(roomId,
            r -> new RoomCommand.RenameMember(by.memberId(), memberId, req.displayName(), r)),
        m -> ok(StatusCodes.OK, Json.Member.of(m))));
  }

  private Route removeMember(String roomId, Tokens.Member by, String memberId) {
    return onResult(client.<RoomCommand.MemberView>ask(roomId, r -> new RoomCommand.RemoveMember(by.memberId(), memberId, r)),
        m -> {
          metrics.request(204);
          return complete(HttpResponse.create().withStatus(StatusCodes.NO_CONTENT));
        });
  }

  private Route disclosure(String roomId, Tokens.Member by) {
    return onResult(client.<List<RoomCommand.DisclosedPassage>>ask(roomId, r -> new RoomCommand.Disclosure(by.memberId(), r)),
        passages -> ok(StatusCodes.OK, new Json.Disclosure(roomId, passages)));
  }

  private Route setAiPolicy(String roomId, Tokens.Member by) {
    return body(Json.AiPolicy.class, req -> {
      if (req.viewersMayAsk() == null) {
        return error(ErrorCode.BAD_FRAME, "\"viewersMayAsk\" must be true or false.");
      }
      return onResult(client.<Boolean>ask(roomId, r -> new RoomCommand.SetAiPolicy(by.memberId(), req.viewersMayAsk(), r)),
          allowed -> ok(StatusCodes.OK, new Json.AiPolicy(allowed)));
    });
  }

  /**
   * A generated image, for members of its room only, with the member's token in the Authorization
   * header. Not as a query parameter: a token in an image's address ends up in proxy logs and
   * browser history; the web client fetches frames with the header instead.
   */
  private Route asset(String roomId, String name) {
    return optionalHeaderValueByName("Authorization", header -> {
      String token = header.filter(h -> h.regionMatches(true, 0, "Bearer ", 0, 7)).map(h -> h.substring(7).strip())
          .orElse(null);
      return switch (tokens.verifyFor(token, roomId)) {
        case Result.Refused<Tokens.Member> no -> error(no.refusal());
        case Result.Ok<Tokens.Member> ok -> onResult(client.<RoomCommand.MemberView>ask(roomId,
            r -> new RoomCommand.CheckMember(ok.value().memberId(), r)), member -> {
              Optional<AssetStore.Asset> found = assets.get(roomId, name);
              if (found.isEmpty()) {
                return error(ErrorCode.NOT_FOUND, "This room has no image " + name + ".");
              }
              String[] type = found.get().mediaType().split("/");
              ContentType contentType = ContentTypes.create(
                  (MediaType.Binary) MediaTypes.lookup(type[0], type[1]).orElseThrow());
              metrics.request(200);
              // named by their content, so a browser may keep them for good
              return complete(HttpResponse.create().withStatus(StatusCodes.OK)
                  .addHeader(HttpHeader.parse("Cache-Control", "private, max-age=31536000, immutable"))
                  .withEntity(HttpEntities.create(contentType, found.get().file())));
            });
      };
    });
  }

  private Route roomtoneSocket(String roomId) {
    // the token comes in the first message (Hello): browsers cannot set headers on a WebSocket
    return handleWebSocketMessages(sockets.connection(roomId, Session.Protocol.ROOMTONE, null));
  }

  private Route yWebsocket(String roomId) {
    return parameterOptional("token", token -> {
      Optional<String> t = token;
      return switch (tokens.verifyFor(t.orElse(null), roomId)) {
        case Result.Ok<Tokens.Member> ok ->
            handleWebSocketMessages(sockets.connection(roomId, Session.Protocol.Y_WEBSOCKET, ok.value().memberId()));
        case Result.Refused<Tokens.Member> no -> error(no.refusal());
      };
    });
  }

}
