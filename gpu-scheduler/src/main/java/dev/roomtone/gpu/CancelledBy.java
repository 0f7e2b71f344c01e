package dev.roomtone.gpu;

/** Who ended a job early. */
public enum CancelledBy {
  REQUESTER,
  ROOM,
  DEADLINE
}
