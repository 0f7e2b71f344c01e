package dev.roomtone.actors.room;

/**
 * A connection's outbound buffer, which its room fills directly rather than through the
 * connection's session actor: one actor hop less for every recipient of every edit. The buffer
 * is the session's; the session still decides what happens when it is full.
 */
@FunctionalInterface
public interface FrameSink {

  /**
   * Queues {@code frame} without waiting. False when the connection cannot take it now (its
   * buffer is at its limit, or it is closing): the room then hands this frame, and every later
   * one, to the session actor, so they stay in order and the session can cut off a slow consumer
   * with its reason.
   */
  boolean tryDeliver(byte[] frame);
}
