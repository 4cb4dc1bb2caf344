package dev.goldsmith.hcloud.it;

import java.time.Duration;
import java.util.Map;

import dev.goldsmith.hcloud.ActionPollSettings;
import dev.goldsmith.hcloud.HcloudConfig;
import dev.goldsmith.hcloud.RetrySettings;
import dev.goldsmith.testkit.EmulatorProcess;

/** Starts the emulator (virtual backend) for the client ITs, with short action durations. */
final class Emulator {

  private Emulator() {}

  static EmulatorProcess start(Map<String, String> extra) {
    Map<String, String> props = new java.util.LinkedHashMap<>();
    props.put("emulator.actions.default-duration", "150ms");
    props.put("emulator.virtual.shutdown-delay", "100ms");
    props.put("emulator.actions.shutdown-poll-interval", "20ms");
    props.putAll(extra);
    return EmulatorProcess.start("virtual", props);
  }

  /** Client settings for tests: quick polls and retries, bounded waits. */
  static HcloudConfig config(EmulatorProcess emulator) {
    return HcloudConfig.of(emulator.endpoint(), emulator.token())
        .withRetry(
            RetrySettings.defaults()
                .withMaxTries(4)
                .withBackoff(Duration.ofMillis(50), Duration.ofMillis(200))
                .withMaxRateLimitWait(Duration.ofSeconds(10)))
        .withActionPoll(
            ActionPollSettings.defaults()
                .withIntervals(Duration.ofMillis(100), Duration.ofMillis(300))
                .withDefaultTimeout(Duration.ofSeconds(30)))
        .withRequestTimeout(Duration.ofSeconds(30));
  }
}
