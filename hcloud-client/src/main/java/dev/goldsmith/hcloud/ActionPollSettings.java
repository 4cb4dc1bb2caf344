package dev.goldsmith.hcloud;

import java.time.Duration;

/**
 * How the client polls actions and servers while waiting.
 *
 * @param initialInterval first delay between polls (1 s by default)
 * @param maxInterval cap the delay grows to (the configurable cap)
 * @param multiplier growth factor per poll
 * @param defaultTimeout deadline of a wait when the caller gives none
 * @param idsPerRequest how many action ids one {@code GET /actions?id=…} carries
 */
public record ActionPollSettings(
    Duration initialInterval,
    Duration maxInterval,
    double multiplier,
    Duration defaultTimeout,
    int idsPerRequest) {

  public ActionPollSettings {
    RetrySettings.requirePositive(initialInterval, "initialInterval");
    RetrySettings.requirePositive(maxInterval, "maxInterval");
    RetrySettings.requirePositive(defaultTimeout, "defaultTimeout");
    if (multiplier < 1) {
      throw new IllegalArgumentException("multiplier must be at least 1");
    }
    if (idsPerRequest < 1 || idsPerRequest > 50) {
      throw new IllegalArgumentException("idsPerRequest must be within [1, 50]");
    }
  }

  /** 1 s growing by 1.5 to at most 10 s, 10 minutes per wait, 25 ids per poll. */
  public static ActionPollSettings defaults() {
    return new ActionPollSettings(
        Duration.ofSeconds(1), Duration.ofSeconds(10), 1.5, Duration.ofMinutes(10), 25);
  }

  /** A copy with other poll intervals. */
  public ActionPollSettings withIntervals(Duration initial, Duration max) {
    return new ActionPollSettings(initial, max, multiplier, defaultTimeout, idsPerRequest);
  }

  /** A copy with another default deadline. */
  public ActionPollSettings withDefaultTimeout(Duration timeout) {
    return new ActionPollSettings(initialInterval, maxInterval, multiplier, timeout, idsPerRequest);
  }
}
