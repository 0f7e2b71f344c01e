package dev.roomtone.server.http;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.InputCoercionException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.type.LogicalType;
import dev.roomtone.actors.room.RoomCommand;
import dev.roomtone.protocol.v1.ErrorCode;
import dev.roomtone.protocol.v1.Role;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/** The REST API's request and response bodies (JSON via Jackson). */
public final class Json {

  private Json() {
  }

  /**
   * The API's mapper. Reading is strict, so that a body means one thing: unknown fields, a second
   * value for the same field, anything after the object, a fraction or a string where a whole number
   * belongs are refused rather than guessed at.
   */
  public static ObjectMapper mapper() {
    JsonMapper mapper = JsonMapper.builder()
        .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
        .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
        .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
        .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
        .build();
    mapper.coercionConfigFor(LogicalType.Integer).setCoercion(CoercionInputShape.String, CoercionAction.Fail);
    mapper.coercionConfigFor(LogicalType.Boolean).setCoercion(CoercionInputShape.String, CoercionAction.Fail);
    mapper.coercionConfigFor(LogicalType.Textual).setCoercion(CoercionInputShape.Integer, CoercionAction.Fail);
    mapper.coercionConfigFor(LogicalType.Textual).setCoercion(CoercionInputShape.Float, CoercionAction.Fail);
    mapper.coercionConfigFor(LogicalType.Textual).setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
    return mapper;
  }

  /** What was wrong with a body Jackson could not read, in the API's words: no class names, no input echoed. */
  public static String describe(Throwable failure) {
    // the unmarshaller wraps Jackson's exception in one of its own
    Throwable cause = failure;
    while (cause != null && !(cause instanceof JsonProcessingException) && cause.getCause() != cause) {
      cause = cause.getCause();
    }
    if (cause instanceof UnrecognizedPropertyException u) {
      String known = u.getKnownPropertyIds() == null ? "" : u.getKnownPropertyIds().stream().map(Object::toString)
          .sorted().collect(Collectors.joining(", "));
      return "\"" + u.getPropertyName() + "\" is not a field of this request" + (known.isEmpty() ? "." : "; its fields are " + known + ".");
    }
    if (cause instanceof JsonParseException p) {
      String what = p.getOriginalMessage() != null && p.getOriginalMessage().startsWith("Duplicate field")
          ? "a field appears twice" : "it is not valid JSON";
      return "The body could not be read: " + what + " (line " + p.getLocation().getLineNr() + ", column "
          + p.getLocation().getColumnNr() + ").";
    }
    if (cause instanceof InputCoercionException) {
      return "The body could not be read: a number is out of range.";
    }
    if (cause instanceof JsonMappingException m) {
      String field = m.getPath().stream().map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
          .collect(Collectors.joining("."));
      if (m.getCause() instanceof InputCoercionException) {
        return "\"" + field + "\" is out of range.";
      }
      if (m.getOriginalMessage() != null && m.getOriginalMessage().startsWith("Trailing token")) {
        return "The body could not be read: there is something after the JSON object.";
      }
      return field.isEmpty() ? "The body must be a JSON object with this request's fields."
          : "\"" + field + "\" has the wrong type of value.";
    }
    if (cause instanceof JsonProcessingException) {
      return "The body could not be read as JSON.";
    }
    return "The body could not be read.";
  }

  record CreateRoom(String name, String showrunnerName) {
  }

  record Member(String memberId, String displayName, String role, int connections) {
    static Member of(RoomCommand.MemberView v) {
      return new Member(v.memberId(), v.displayName(), roleName(v.role()), v.connections());
    }
  }

  record RoomCreated(String roomId, String name, Member member, String token, String link) {
  }

  record CreateInvite(String role, Integer validForHours, Integer maxUses) {
  }

  record Invite(String inviteId, String code, String role, long expiresAt, String link) {
  }

  /** An open invite, without its secret (so without its code: that is shown once, when it is made). */
  record OpenInvite(String inviteId, String role, long expiresAt, int maxUses, int uses, List<String> memberIds) {
    static OpenInvite of(RoomCommand.InviteView v) {
      return new OpenInvite(v.inviteId(), roleName(v.role()), v.expiresAt(), v.maxUses(), v.uses(), v.memberIds());
    }
  }

  record Invites(List<OpenInvite> invites) {
  }

  record Join(String code, String displayName) {
  }

  record InviteCode(String code) {
  }

  record InvitePreview(String roomId, String roomName, String role, long expiresAt) {
  }

  record Rename(String displayName) {
  }

  record RenameRoom(String name) {
  }

  record RoomRenamed(String roomId, String name) {
  }

  record Joined(String roomId, Member member, String token, String link) {
  }

  record Members(List<Member> members) {
  }

  record ChangeRole(String role) {
  }

  /** Who besides writers and the showrunner may ask the room's AI. */
  record AiPolicy(Boolean viewersMayAsk) {
  }

  /** The AI-originated passages still in a room's script. */
  record Disclosure(String roomId, List<RoomCommand.DisclosedPassage> passages) {
  }

  record Error(String code, String message) {
    static Error of(ErrorCode code, String message) {
      return new Error(code.name(), message);
    }
  }

  static String roleName(Role role) {
    return switch (role) {
      case ROLE_SHOWRUNNER -> "showrunner";
      case ROLE_WRITER -> "writer";
      case ROLE_VIEWER -> "viewer";
      default -> "unknown";
    };
  }

  /** The role named in a request, or null if the name is not one. */
  static Role role(String name) {
    if (name == null) {
      return null;
    }
    return switch (name.toLowerCase(Locale.ROOT)) {
      case "showrunner" -> Role.ROLE_SHOWRUNNER;
      case "writer" -> Role.ROLE_WRITER;
      case "viewer" -> Role.ROLE_VIEWER;
      default -> null;
    };
  }
}
