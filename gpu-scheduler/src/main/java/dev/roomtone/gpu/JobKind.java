package dev.roomtone.gpu;

/** What a job produces, which decides how its cost is counted. */
public enum JobKind {
  TEXT,
  IMAGE
}
