package dev.roomtone.gpu;

import java.time.Instant;
import java.util.Objects;

/**
 * A job as submitted: who it is for (the room session is the fairness key, the member shares
 * within it), which model it needs, what it is expected to cost and how much device memory it
 * needs beyond the model, its weight among the member's peers and an optional deadline.
 */
public record JobSpec(
    String id,
    String session,
    String member,
    String model,
    Cost estimate,
    long memoryBytes,
    double weight,
    Instant deadline) {

  public JobSpec {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(session, "session");
    Objects.requireNonNull(member, "member");
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(estimate, "estimate");
    if (memoryBytes < 0) {
      throw new IllegalArgumentException("memoryBytes must not be negative");
    }
    if (!(weight > 0) || Double.isInfinite(weight)) {
      throw new IllegalArgumentException("weight must be positive and finite");
    }
  }

  /** A job of weight 1 and no deadline. */
  public static JobSpec of(String id, String session, String member, String model, Cost estimate, long memoryBytes) {
    return new JobSpec(id, session, member, model, estimate, memoryBytes, 1.0, null);
  }

  public JobKind kind() {
    return estimate.kind();
  }

  public JobSpec withDeadline(Instant at) {
    return new JobSpec(id, session, member, model, estimate, memoryBytes, weight, at);
  }
}
