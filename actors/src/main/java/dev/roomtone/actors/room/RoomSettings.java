package dev.roomtone.actors.room;

import java.time.Duration;

/** Limits and housekeeping intervals of a room, from the server's configuration. */
public record RoomSettings(int maxMembers, int maxSessions, int maxAwarenessBytes, int snapshotEvery,
                           Duration maxInviteValidity, Duration awarenessCheckInterval) {

  public static RoomSettings defaults() {
    return new RoomSettings(100, 200, 16 * 1024, 500, Duration.ofDays(30), Duration.ofSeconds(5));
  }
}
