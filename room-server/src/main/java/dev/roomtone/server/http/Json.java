package dev.roomtone.server.http;

import dev.roomtone.actors.room.RoomCommand;
import dev.roomtone.protocol.v1.ErrorCode;
import dev.roomtone.protocol.v1.Role;
import java.util.List;
import java.util.Locale;

/** The REST API's request and response bodies (JSON via Jackson). */
final class Json {

  private Json() {
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

  record Join(String code, String displayName) {
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
