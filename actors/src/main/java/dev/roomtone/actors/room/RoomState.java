package dev.roomtone.actors.room;

import com.google.protobuf.ByteString;
import dev.roomtone.protocol.v1.Role;
import dev.roomtone.protocol.v1.Suggestion;
import dev.roomtone.protocol.v1.events.AiPassage;
import dev.roomtone.protocol.v1.events.RoomEvent;
import dev.roomtone.protocol.v1.events.RoomSnapshot;
import dev.roomtone.protocol.v1.events.StoredInvite;
import dev.roomtone.protocol.v1.events.StoredMember;
import dev.roomtone.protocol.v1.events.SuggestionDecided;
import dev.roomtone.script.crdt.YDoc;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * What a room remembers: its name, the script document, its members and open invites. Changed only
 * by applying stored events, so replaying the journal rebuilds it exactly. The document is mutable
 * and owned by the room's actor.
 */
final class RoomState {

  private String name;
  private long createdAt;
  private final YDoc doc;
  private final Map<String, StoredMember> members = new LinkedHashMap<>();
  private final Map<String, StoredInvite> invites = new LinkedHashMap<>();
  private final Set<String> removed = new LinkedHashSet<>();
  private final Map<String, Suggestion> suggestions = new LinkedHashMap<>();
  private final Map<String, AiPassage> passages = new LinkedHashMap<>();
  private boolean viewersMayAskAi;

  RoomState(YDoc doc) {
    this.doc = doc;
  }

  boolean exists() {
    return name != null;
  }

  String name() {
    return name;
  }

  YDoc doc() {
    return doc;
  }

  StoredMember member(String memberId) {
    return members.get(memberId);
  }

  Collection<StoredMember> members() {
    return members.values();
  }

  boolean wasRemoved(String memberId) {
    return removed.contains(memberId);
  }

  /** The open invites, oldest first (expired ones too, until revoked). */
  Collection<StoredInvite> invites() {
    return invites.values();
  }

  StoredInvite invite(String inviteId) {
    return invites.get(inviteId);
  }

  Suggestion suggestion(String suggestionId) {
    return suggestions.get(suggestionId);
  }

  Collection<Suggestion> suggestions() {
    return suggestions.values();
  }

  /** Approved AI passages, oldest first. */
  Collection<AiPassage> passages() {
    return passages.values();
  }

  boolean viewersMayAskAi() {
    return viewersMayAskAi;
  }

  long showrunnerCount() {
    return members.values().stream().filter(m -> m.getRole() == Role.ROLE_SHOWRUNNER).count();
  }

  /** Applies one stored event; must never fail, since the event is already in the journal. */
  RoomState apply(RoomEvent event) {
    switch (event.getEventCase()) {
      case CREATED -> {
        name = event.getCreated().getName();
        createdAt = event.getAt();
        StoredMember first = event.getCreated().getShowrunner();
        members.put(first.getMemberId(), first);
      }
      case INVITE_CREATED -> {
        var i = event.getInviteCreated();
        invites.put(i.getInviteId(), StoredInvite.newBuilder().setInviteId(i.getInviteId()).setSecretHash(i.getSecretHash())
            .setRole(i.getRole()).setExpiresAt(i.getExpiresAt()).setMaxUses(i.getMaxUses()).build());
      }
      case INVITE_REVOKED -> invites.remove(event.getInviteRevoked().getInviteId());
      case MEMBER_JOINED -> {
        StoredMember m = event.getMemberJoined().getMember().toBuilder().setInviteId(event.getMemberJoined().getInviteId())
            .build();
        members.put(m.getMemberId(), m);
        StoredInvite used = invites.get(event.getMemberJoined().getInviteId());
        if (used != null) {
          invites.put(used.getInviteId(), used.toBuilder().setUses(used.getUses() + 1).build());
        }
      }
      case ROLE_CHANGED -> {
        var c = event.getRoleChanged();
        StoredMember m = members.get(c.getMemberId());
        if (m != null) {
          members.put(m.getMemberId(), m.toBuilder().setRole(c.getRole()).build());
        }
      }
      case ROOM_RENAMED -> name = event.getRoomRenamed().getName();
      case MEMBER_RENAMED -> {
        var r = event.getMemberRenamed();
        StoredMember m = members.get(r.getMemberId());
        if (m != null) {
          members.put(m.getMemberId(), m.toBuilder().setDisplayName(r.getDisplayName()).build());
        }
      }
      case MEMBER_REMOVED -> {
        String id = event.getMemberRemoved().getMemberId();
        members.remove(id);
        removed.add(id);
      }
      case DOCUMENT_UPDATED -> doc.applyUpdate(event.getDocumentUpdated().getUpdate().toByteArray(), RoomEntity.JOURNAL);
      case SUGGESTION_PROPOSED -> {
        Suggestion p = event.getSuggestionProposed().getSuggestion();
        suggestions.put(p.getSuggestionId(), p);
      }
      case SUGGESTION_DECIDED -> decide(event.getSuggestionDecided(), event.getAt());
      case AI_POLICY_CHANGED -> viewersMayAskAi = event.getAiPolicyChanged().getViewersMayAsk();
      case EVENT_NOT_SET -> {
        // an event written by a newer version with a kind this one does not know: nothing to apply
      }
    }
    return this;
  }

  private void decide(SuggestionDecided d, long at) {
    Suggestion s = suggestions.get(d.getSuggestionId());
    if (s == null) {
      return;
    }
    Suggestion.Builder decided = s.toBuilder().setStatus(d.getStatus()).setDecidedByMemberId(d.getByMemberId())
        .setDecidedAt(at);
    switch (d.getStatus()) {
      case STATUS_APPROVED -> {
        if (!d.getUpdate().isEmpty()) {
          doc.applyUpdate(d.getUpdate().toByteArray(), RoomEntity.JOURNAL);
        }
        decided.setAppliedText(d.getAppliedText());
        passages.put(s.getSuggestionId(), AiPassage.newBuilder().setSuggestionId(s.getSuggestionId()).setTask(s.getTask())
            .setRequesterMemberId(s.getRequesterMemberId()).setModel(s.getModel()).setBackend(s.getBackend())
            .setApprovedByMemberId(d.getByMemberId()).setApprovedAt(at)
            .setStart(d.getPassageStart()).setEnd(d.getPassageEnd()).build());
      }
      case STATUS_STALE -> decided.setCurrentText(d.getCurrentText());
      default -> {
        // rejected: nothing else to record
      }
    }
    suggestions.put(s.getSuggestionId(), decided.build());
  }

  /** The state as a snapshot: taken on the actor's thread, so the document cannot change meanwhile. */
  RoomSnapshot toSnapshot() {
    return RoomSnapshot.newBuilder()
        .setName(name == null ? "" : name)
        .setCreatedAt(createdAt)
        .setDocument(ByteString.copyFrom(doc.encodeStateAsUpdate()))
        .addAllMembers(members.values())
        .addAllInvites(invites.values())
        .addAllRemovedMemberIds(removed)
        .addAllSuggestions(suggestions.values())
        .addAllPassages(passages.values())
        .setViewersMayAskAi(viewersMayAskAi)
        .build();
  }

  static RoomState fromSnapshot(RoomSnapshot snapshot, YDoc doc) {
    RoomState s = new RoomState(doc);
    s.name = snapshot.getName().isEmpty() ? null : snapshot.getName();
    s.createdAt = snapshot.getCreatedAt();
    doc.applyUpdate(snapshot.getDocument().toByteArray(), RoomEntity.JOURNAL);
    snapshot.getMembersList().forEach(m -> s.members.put(m.getMemberId(), m));
    snapshot.getInvitesList().forEach(i -> s.invites.put(i.getInviteId(), i));
    s.removed.addAll(snapshot.getRemovedMemberIdsList());
    snapshot.getSuggestionsList().forEach(x -> s.suggestions.put(x.getSuggestionId(), x));
    snapshot.getPassagesList().forEach(p -> s.passages.put(p.getSuggestionId(), p));
    s.viewersMayAskAi = snapshot.getViewersMayAskAi();
    return s;
  }
}
