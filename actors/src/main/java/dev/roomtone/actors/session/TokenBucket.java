package dev.roomtone.actors.session;

/** Rate limit: up to {@code capacity} messages at once, refilled at {@code perSecond}. */
final class TokenBucket {

  private final double capacity;
  private final double perMilli;
  private double tokens;
  private long last;

  TokenBucket(int capacity, int perSecond, long now) {
    this.capacity = capacity;
    this.perMilli = perSecond / 1000.0;
    this.tokens = capacity;
    this.last = now;
  }

  /** Takes one token if there is one. */
  boolean take(long now) {
    if (now > last) {
      tokens = Math.min(capacity, tokens + (now - last) * perMilli);
      last = now;
    }
    if (tokens >= 1) {
      tokens -= 1;
      return true;
    }
    return false;
  }
}
