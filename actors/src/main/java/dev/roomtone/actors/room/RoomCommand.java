package dev.roomtone.actors.room;

import dev.roomtone.actors.Result;
import dev.roomtone.protocol.v1.Limits;
import dev.roomtone.protocol.v1.Role;
import java.time.Duration;
import java.util.List;
import org.apache.pekko.actor.typed.ActorRef;

/** Everything a room understands: management requests (from the REST API) and connection traffic. */
public sealed interface RoomCommand {

  /** A member as the room knows them now. */
  record MemberView(String memberId, String displayName, Role role, int connections) {
  }

  /** A new invite; {@code secret} is returned once and never stored. */
  record InviteIssued(String inviteId, String secret, Role role, long expiresAt) {
  }

  // ---- management

  /** Creates the room with its first member, the showrunner. */
  record Create(String name, String showrunnerName, ActorRef<Result<MemberView>> replyTo) implements RoomCommand {
  }

  record CreateInvite(String byMemberId, Role role, Duration validFor, int maxUses,
                      ActorRef<Result<InviteIssued>> replyTo) implements RoomCommand {
  }

  /** Redeems an invite: a new member with the invite's role. */
  record Join(String inviteId, String secret, String displayName, ActorRef<Result<MemberView>> replyTo)
      implements RoomCommand {
  }

  record ListMembers(String byMemberId, ActorRef<Result<List<MemberView>>> replyTo) implements RoomCommand {
  }

  record ChangeRole(String byMemberId, String memberId, Role role, ActorRef<Result<MemberView>> replyTo)
      implements RoomCommand {
  }

  record RemoveMember(String byMemberId, String memberId, ActorRef<Result<MemberView>> replyTo) implements RoomCommand {
  }

  /** The member's current standing (a valid token is not enough: members can be removed). */
  record CheckMember(String memberId, ActorRef<Result<MemberView>> replyTo) implements RoomCommand {
  }

  /** The whole document as one Yjs update. */
  record GetDocument(ActorRef<Result<byte[]>> replyTo) implements RoomCommand {
  }

  // ---- connections

  /** {@code limits}: the connection's own limits, told to the client in Welcome with the room's. */
  record Connect(String memberId, ActorRef<SessionOut> session, SessionCodec codec, Limits limits,
                 ActorRef<Result<MemberView>> replyTo) implements RoomCommand {
  }

  record Disconnect(ActorRef<SessionOut> session) implements RoomCommand {
  }

  /** A connection's sync step 1: answer with everything it lacks. */
  record Sync(ActorRef<SessionOut> session, byte[] stateVector, long requestId) implements RoomCommand {
  }

  /** A document update from a connection (an edit, or the client's sync step 2). */
  record Edit(ActorRef<SessionOut> session, byte[] update, long requestId) implements RoomCommand {
  }

  record Awareness(ActorRef<SessionOut> session, byte[] update) implements RoomCommand {
  }

  /** A connection asks for everyone's presence (y-websocket's query). */
  record QueryAwareness(ActorRef<SessionOut> session) implements RoomCommand {
  }

  /** A request this room cannot serve yet (e.g. AI help without a configured model). */
  record Unavailable(ActorRef<SessionOut> session, String what, long requestId) implements RoomCommand {
  }

  /** Periodic housekeeping: expire presence that was not renewed. */
  enum Tick implements RoomCommand {
    INSTANCE
  }
}
