package dev.roomtone.actors.room;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.pekko.actor.typed.ActorRef;

/**
 * The connections of one room, kept outside the room's actor so that they outlive it. A room that
 * restarts or stops forgets its connections (runtime state) while their sessions stay open; a
 * session that only reads would never learn that nothing reaches it any more. With this list the
 * new incarnation (or the router, when the room stopped) tells each of them to reconnect at once.
 */
public final class HeldConnections {

  static final String REJOIN_REASON = "The room restarted and no longer holds this connection; "
      + "reconnect to continue (the resync sends anything not yet stored).";

  private final Set<ActorRef<SessionOut>> sessions = ConcurrentHashMap.newKeySet();

  void add(ActorRef<SessionOut> session) {
    sessions.add(session);
  }

  void remove(ActorRef<SessionOut> session) {
    sessions.remove(session);
  }

  /** Tells every connection still listed to close and reconnect, and forgets them. */
  public void tellAllToRejoin() {
    for (ActorRef<SessionOut> session : sessions) {
      if (sessions.remove(session)) {
        session.tell(new SessionOut.Rejoin(REJOIN_REASON));
      }
    }
  }
}
