package dev.goldsmith.support.messaging;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;

/**
 * Capped exponential backoff: attempt n waits {@code min(max, initial * multiplier^(n-1))}, less a
 * random part of up to {@code jitter} of it (so instances retrying the same dependency spread out,
 * and the cap is never exceeded).
 *
 * @param initial the wait after the first failure
 * @param max the longest wait
 * @param multiplier growth per attempt, at least 1
 * @param jitter fraction of the wait randomised away, in [0, 1)
 */
public record Backoff(Duration initial, Duration max, double multiplier, double jitter) {

  public Backoff {
    Objects.requireNonNull(initial, "initial");
    Objects.requireNonNull(max, "max");
    if (initial.isNegative() || initial.isZero()) {
      throw new IllegalArgumentException("initial delay must be positive");
    }
    if (max.compareTo(initial) < 0) {
      throw new IllegalArgumentException("max delay must be at least the initial delay");
    }
    if (!(multiplier >= 1)) {
      throw new IllegalArgumentException("multiplier must be at least 1");
    }
    if (!(jitter >= 0 && jitter < 1)) {
      throw new IllegalArgumentException("jitter must be within [0, 1)");
    }
  }

  /** The wait before attempt {@code failedAttempts + 1}, with random jitter. */
  public Duration delay(int failedAttempts) {
    return delay(failedAttempts, () -> ThreadLocalRandom.current().nextDouble());
  }

  /** As {@link #delay(int)}, with the random fraction in [0, 1) from {@code random}. */
  public Duration delay(int failedAttempts, DoubleSupplier random) {
    if (failedAttempts < 1) {
      throw new IllegalArgumentException("failedAttempts must be at least 1");
    }
    double base = initial.toNanos() * Math.pow(multiplier, failedAttempts - 1.0);
    double capped = Math.min(base, max.toNanos());
    double jittered = capped * (1 - jitter * random.getAsDouble());
    return Duration.ofNanos((long) jittered);
  }
}
