package dev.goldsmith.registry.promotion;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.api.Test;

class BackoffTest {
  @Test
  void doublesPerAttemptAndIsCapped() {
    Duration base = Duration.ofSeconds(10);
    assertThat(Backoff.delay(base, 1)).isEqualTo(Duration.ofSeconds(10));
    assertThat(Backoff.delay(base, 2)).isEqualTo(Duration.ofSeconds(20));
    assertThat(Backoff.delay(base, 4)).isEqualTo(Duration.ofSeconds(80));
    assertThat(Backoff.delay(base, 60)).isEqualTo(Backoff.MAX);
  }
}
