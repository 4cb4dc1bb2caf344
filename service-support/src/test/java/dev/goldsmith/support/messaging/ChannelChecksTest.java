package dev.goldsmith.support.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

class ChannelChecksTest {
  private static final String P = "mp.messaging.incoming.in.";

  @Test
  void aSoundChannelHasNoProblems() {
    Map<String, String> c =
        Map.of(
            P + "failure-strategy", "dead-letter-queue",
            P + "throttled.unprocessed-record-max-age.ms", "0");
    assertThat(ChannelChecks.problems("in", k -> Optional.ofNullable(c.get(k)))).isEmpty();
  }

  @Test
  void theDefaultsAreBothWrong() {
    assertThat(ChannelChecks.problems("in", k -> Optional.empty()))
        .containsExactly(
            P + "failure-strategy must be dead-letter-queue (is fail)",
            P
                + "throttled.unprocessed-record-max-age.ms must be 0 (is 60000): a record retried"
                + " in place longer than that would close the consumer");
  }

  @Test
  void theAgeLimitMattersOnlyForTheThrottledStrategy() {
    Map<String, String> c =
        Map.of(P + "failure-strategy", "dead-letter-queue", P + "commit-strategy", "latest");
    assertThat(ChannelChecks.problems("in", k -> Optional.ofNullable(c.get(k)))).isEmpty();
  }

  @Test
  void aConcurrentCopyOfAChannelReadsTheChannelsSettings() {
    Map<String, String> c =
        Map.of(
            "mp.messaging.incoming.in.failure-strategy", "dead-letter-queue",
            "mp.messaging.incoming.in.throttled.unprocessed-record-max-age.ms", "0");
    assertThat(ChannelChecks.problems("in$2", k -> Optional.ofNullable(c.get(k)))).isEmpty();
    assertThat(
            ChannelChecks.problems(
                "in$2",
                k ->
                    Optional.ofNullable(
                        Map.of(
                                "mp.messaging.incoming.in.failure-strategy",
                                "dead-letter-queue",
                                "mp.messaging.incoming.in$2.failure-strategy",
                                "fail")
                            .get(k))))
        .anyMatch(p -> p.contains("in$2.failure-strategy must be dead-letter-queue (is fail)"));
  }
}
