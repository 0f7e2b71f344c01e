package dev.roomtone.actors.room;

import dev.roomtone.actors.Result;
import dev.roomtone.actors.ai.AiAssistant;
import dev.roomtone.protocol.v1.AiJobEvent;
import dev.roomtone.protocol.v1.AiRequest;
import dev.roomtone.protocol.v1.Limits;
import dev.roomtone.protocol.v1.Role;
import dev.roomtone.protocol.v1.Suggestion;
import dev.roomtone.protocol.v1.SuggestionDecision;
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

  /** An open invite as the showrunner sees it: never its secret. */
  record InviteView(String inviteId, Role role, long expiresAt, int maxUses, int uses, List<String> memberIds) {
  }

  record ListInvites(String byMemberId, ActorRef<Result<List<InviteView>>> replyTo) implements RoomCommand {
  }

  /** Ends an invite: nobody can join with it any more; who already joined stays. */
  record RevokeInvite(String byMemberId, String inviteId, ActorRef<Result<InviteView>> replyTo) implements RoomCommand {
  }

  /** What an invite leads to, shown before joining: the room's name and the role. */
  record InvitePreview(String roomName, Role role, long expiresAt) {
  }

  /** Checks an invite as joining would, without using it. */
  record PreviewInvite(String inviteId, String secret, ActorRef<Result<InvitePreview>> replyTo) implements RoomCommand {
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

  /** The room's new name, the showrunner's to give; answers with the name as stored. */
  record RenameRoom(String byMemberId, String name, ActorRef<Result<String>> replyTo) implements RoomCommand {
  }

  /** A new display name: members change their own, the showrunner anyone's. */
  record RenameMember(String byMemberId, String memberId, String displayName, ActorRef<Result<MemberView>> replyTo)
      implements RoomCommand {
  }

  /** The member's current standing (a valid token is not enough: members can be removed). */
  record CheckMember(String memberId, ActorRef<Result<MemberView>> replyTo) implements RoomCommand {
  }

  /** The whole document as one Yjs update. */
  record GetDocument(ActorRef<Result<byte[]>> replyTo) implements RoomCommand {
  }

  // ---- suggestions

  /**
   * An AI job's result enters the ledger as a pending suggestion. {@code draft} needs task, requester,
   * model, backend, anchors, original text and the proposal; the room assigns id, status and time.
   */
  record Propose(Suggestion draft, ActorRef<Result<Suggestion>> replyTo) implements RoomCommand {
  }

  /** The showrunner's decision, from a connection. */
  record Decide(ActorRef<SessionOut> session, SuggestionDecision decision, long requestId) implements RoomCommand {
  }

  /** An approved AI passage still present in the script, as the disclosure report lists it. */
  record DisclosedPassage(String suggestionId, String task, String requestedBy, String model, String backend,
                          String approvedBy, long approvedAt, String text) {
  }

  /** The AI-disclosure report, for a member of the room. */
  record Disclosure(String byMemberId, ActorRef<Result<List<DisclosedPassage>>> replyTo) implements RoomCommand {
  }

  // ---- AI jobs

  /** A member asks the room's AI for help on a selection. */
  record AskAi(ActorRef<SessionOut> session, AiRequest request, long requestId) implements RoomCommand {
  }

  /** The requester (or the showrunner) stops a job. */
  record CancelAi(ActorRef<SessionOut> session, String jobId, long requestId) implements RoomCommand {
  }

  /** What a running job reported; {@code proposal} is set with a finished event. */
  record JobReport(String jobId, AiJobEvent event, AiAssistant.Proposal proposal) implements RoomCommand {
  }

  /** The showrunner lets viewers ask the AI, or stops them. */
  record SetAiPolicy(String byMemberId, boolean viewersMayAsk, ActorRef<Result<Boolean>> replyTo) implements RoomCommand {
  }

  // ---- connections

  /**
   * {@code limits}: the connection's own limits, told to the client in Welcome with the room's.
   * {@code sink}: the connection's outbound buffer for the room to fill directly, or null to send
   * every frame through {@code session}.
   */
  record Connect(String memberId, ActorRef<SessionOut> session, SessionCodec codec, Limits limits, FrameSink sink,
                 ActorRef<Result<MemberView>> replyTo) implements RoomCommand {
    public Connect(String memberId, ActorRef<SessionOut> session, SessionCodec codec, Limits limits,
                   ActorRef<Result<MemberView>> replyTo) {
      this(memberId, session, codec, limits, null, replyTo);
    }
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


  /** Periodic housekeeping: expire presence that was not renewed. */
  /**
   * The room to itself: write the edits that arrived since the last write as one batch. Sent when
   * the first edit of a batch arrives, so every edit already in the mailbox (or stashed during the
   * previous write) joins it.
   */
  enum WriteEdits implements RoomCommand {
    INSTANCE
  }

  enum Tick implements RoomCommand {
    INSTANCE
  }
}
