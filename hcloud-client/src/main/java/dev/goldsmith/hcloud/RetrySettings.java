package dev.goldsmith.hcloud;

import java.time.Duration;

/**
 * How the client retries retryable failures ({@code conflict}, {@code rate_limit_exceeded}, {@code
 * timeout}, {@code bad_gateway}, bare 502/504, network errors).
 *
 * @param maxTries total attempts including the first; 1 disables retries
 * @param initialBackoff delay before the first retry; doubles each retry
 * @param maxBackoff cap of a single delay
 * @param jitter fraction of the delay randomised, 0 (none) to 1 (full jitter)
 * @param maxRateLimitWait cap of a wait for {@code RateLimit-Reset} after a 429 or when the shared
 *     budget is empty
 */
public record RetrySettings(
    int maxTries,
    Duration initialBackoff,
    Duration maxBackoff,
    double jitter,
    Duration maxRateLimitWait) {

  public RetrySettings {
    if (maxTries < 1) {
      throw new IllegalArgumentException("maxTries must be at least 1");
    }
    if (jitter < 0 || jitter > 1) {
      throw new IllegalArgumentException("jitter must be within [0, 1]");
    }
    requirePositive(initialBackoff, "initialBackoff");
    requirePositive(maxBackoff, "maxBackoff");
    requirePositive(maxRateLimitWait, "maxRateLimitWait");
  }

  /** 5 tries, 1 s doubling to at most 60 s, 50% jitter, rate-limit waits capped at 60 s. */
  public static RetrySettings defaults() {
    return new RetrySettings(
        5, Duration.ofSeconds(1), Duration.ofSeconds(60), 0.5, Duration.ofSeconds(60));
  }

  /** One try only. */
  public static RetrySettings none() {
    return new RetrySettings(
        1, Duration.ofSeconds(1), Duration.ofSeconds(1), 0, Duration.ofSeconds(60));
  }

  /** A copy with another number of tries. */
  public RetrySettings withMaxTries(int tries) {
    return new RetrySettings(tries, initialBackoff, maxBackoff, jitter, maxRateLimitWait);
  }

  /** A copy with other backoff bounds. */
  public RetrySettings withBackoff(Duration initial, Duration max) {
    return new RetrySettings(maxTries, initial, max, jitter, maxRateLimitWait);
  }

  /** A copy with another jitter fraction. */
  public RetrySettings withJitter(double fraction) {
    return new RetrySettings(maxTries, initialBackoff, maxBackoff, fraction, maxRateLimitWait);
  }

  /** A copy with another cap on rate-limit waits. */
  public RetrySettings withMaxRateLimitWait(Duration cap) {
    return new RetrySettings(maxTries, initialBackoff, maxBackoff, jitter, cap);
  }

  static void requirePositive(Duration d, String name) {
    if (d == null || d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(name + " must be positive");
    }
  }
}
