package dev.roomtone.script.crdt;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * The presence states of a document's clients (cursors, selections, names) as y-protocols'
 * awareness keeps them: one JSON state per awareness client id with a clock, the newest clock
 * winning; a null state means the client left. This is the server's copy, which relays changes,
 * answers new connections with everyone's state, and expires states that are not renewed.
 *
 * @param <O> what owns a client's state (a connection), so that its states go when it closes
 */
public final class AwarenessStates<O> {

  /** y-protocols drops a state this long after its last renewal (clients renew every 15 s). */
  public static final long OUTDATED_MILLIS = 30_000;

  private record Entry<O>(int clock, String state, long updatedAt, O owner) {
  }

  private final Map<Long, Entry<O>> entries = new LinkedHashMap<>();
  private final int maxStateBytes;

  public AwarenessStates(int maxStateBytes) {
    this.maxStateBytes = maxStateBytes;
  }

  /** Client ids with a present (non-null) state. */
  public List<Long> present() {
    List<Long> out = new ArrayList<>();
    entries.forEach((id, e) -> {
      if (e.state != null) {
        out.add(id);
      }
    });
    return out;
  }

  /** The JSON state of a client, or null. */
  public String state(long clientId) {
    Entry<O> e = entries.get(clientId);
    return e == null ? null : e.state;
  }

  /**
   * Applies an awareness update from {@code owner}; returns the client ids whose state changed (to
   * relay). A malformed update or a state that is not JSON throws {@link MalformedUpdateException},
   * a state larger than the limit {@link StateTooLargeException}; either changes nothing.
   */
  public List<Long> apply(byte[] update, O owner, long now) {
    return apply(update, owner, now, owner::equals);
  }

  /**
   * As {@link #apply(byte[], Object, long)}, except that a client's present state can only be
   * changed or withdrawn by an owner {@code mayReplace} accepts (given the state's owner): one
   * connection must not move or remove another's cursor or speak under its name. A state whose
   * owner left (withdrawn) can be taken by anyone, as a reconnecting client keeps its id.
   */
  public List<Long> apply(byte[] update, O owner, long now, Predicate<O> mayReplace) {
    ByteReader r = new ByteReader(update);
    long count = r.readVarUint();
    List<long[]> heads = new ArrayList<>();
    List<String> states = new ArrayList<>();
    for (long i = 0; i < count; i++) {
      if (!r.hasContent()) {
        throw r.error("truncated input: awareness update lists more clients than it holds");
      }
      long clientId = r.readVarUint();
      int clock = r.readVarUintInt("awareness clock");
      int at = r.position();
      String json = r.readVarString();
      if (json.length() > maxStateBytes) {
        throw new StateTooLargeException("awareness state of " + json.length() + " characters exceeds the limit of "
            + maxStateBytes, at);
      }
      try {
        JsJson.parse(json);
      } catch (IllegalArgumentException e) {
        throw new MalformedUpdateException("awareness state is not JSON: " + e.getMessage(), at);
      }
      heads.add(new long[] {clientId, clock});
      states.add("null".equals(json) ? null : json);
    }
    if (r.hasContent()) {
      throw r.error(r.remaining() + " unexpected bytes after the awareness update");
    }
    List<Long> changed = new ArrayList<>();
    for (int i = 0; i < heads.size(); i++) {
      long clientId = heads.get(i)[0];
      int clock = (int) heads.get(i)[1];
      String state = states.get(i);
      Entry<O> current = entries.get(clientId);
      if (current != null && current.state != null && !current.owner.equals(owner) && !mayReplace.test(current.owner)) {
        continue;
      }
      int currentClock = current == null ? 0 : current.clock;
      // newer clock wins; at equal clocks a removal wins over a present state (y-protocols' rule)
      if (current == null || currentClock < clock || (currentClock == clock && state == null && current.state != null)) {
        entries.put(clientId, new Entry<>(clock, state, now, owner));
        if (!(current == null && state == null)) {
          changed.add(clientId);
        }
      }
    }
    return changed;
  }

  /** Marks the states of {@code owner} as removed; returns the affected client ids. */
  public List<Long> removeOwnedBy(O owner, long now) {
    List<Long> removed = new ArrayList<>();
    entries.forEach((id, e) -> {
      if (e.state != null && owner.equals(e.owner)) {
        removed.add(id);
      }
    });
    for (long id : removed) {
      Entry<O> e = entries.get(id);
      entries.put(id, new Entry<>(e.clock + 1, null, now, e.owner));
    }
    return removed;
  }

  /** Removes states not renewed within {@link #OUTDATED_MILLIS}; returns the affected client ids. */
  public List<Long> expire(long now) {
    List<Long> expired = new ArrayList<>();
    entries.forEach((id, e) -> {
      if (e.state != null && now - e.updatedAt >= OUTDATED_MILLIS) {
        expired.add(id);
      }
    });
    for (long id : expired) {
      Entry<O> e = entries.get(id);
      entries.put(id, new Entry<>(e.clock + 1, null, now, e.owner));
    }
    // forget long-removed clients so the map does not grow with every visitor
    entries.entrySet().removeIf(en -> en.getValue().state == null && now - en.getValue().updatedAt >= OUTDATED_MILLIS);
    return expired;
  }

  /** One client's state as an awareness update (y-protocols format); {@code json} "null" withdraws it. */
  public static byte[] encodeState(long clientId, int clock, String json) {
    ByteWriter w = new ByteWriter(16 + json.length());
    w.writeVarUint(1);
    w.writeVarUint(clientId);
    w.writeVarUint(clock);
    w.writeVarString(json);
    return w.toByteArray();
  }

  /** Encodes the given clients' current states as an awareness update (y-protocols format). */
  public byte[] encode(List<Long> clientIds) {
    ByteWriter w = new ByteWriter(16 + clientIds.size() * 32);
    w.writeVarUint(clientIds.size());
    for (long id : clientIds) {
      Entry<O> e = entries.get(id);
      w.writeVarUint(id);
      w.writeVarUint(e == null ? 0 : e.clock);
      w.writeVarString(e == null || e.state == null ? "null" : e.state);
    }
    return w.toByteArray();
  }
}
