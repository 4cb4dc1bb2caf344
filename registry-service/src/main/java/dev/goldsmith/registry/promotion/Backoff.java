package dev.goldsmith.registry.promotion;

import java.time.Duration;

/** Exponential backoff: {@code base} doubled per attempt after the first, capped at 10 minutes. */
public final class Backoff {
  public static final Duration MAX = Duration.ofMinutes(10);

  private Backoff() {}

  /** The delay before the next try after {@code attempts} failed ones (at least 1). */
  public static Duration delay(Duration base, int attempts) {
    long factor = 1L << Math.min(Math.max(attempts, 1) - 1, 20);
    Duration d = base.multipliedBy(factor);
    return d.compareTo(MAX) > 0 ? MAX : d;
  }
}
