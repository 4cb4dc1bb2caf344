package dev.goldsmith.hcloud.internal;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

import dev.goldsmith.hcloud.RetrySettings;

/** Exponential backoff with cap and jitter. */
public final class Backoff {

  private Backoff() {}

  /**
   * Delay before retry number {@code retry} (1 for the first retry): {@code initial × 2^(retry-1)},
   * capped, then reduced by a random share of at most {@code jitter}.
   */
  public static Duration delay(RetrySettings s, int retry) {
    double base = s.initialBackoff().toMillis() * Math.pow(2, Math.max(0, retry - 1));
    double capped = Math.min(base, s.maxBackoff().toMillis());
    double jittered = capped * (1 - s.jitter() * ThreadLocalRandom.current().nextDouble());
    return Duration.ofMillis(Math.max(1, Math.round(jittered)));
  }
}
