package dev.goldsmith.support.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

class BackoffTest {

  @Test
  void theWaitDoublesUntilTheCap() {
    Backoff b = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(30), 2, 0);
    assertThat(IntStream.rangeClosed(1, 8).mapToObj(n -> b.delay(n, () -> 0.5).toSeconds()))
        .containsExactly(1L, 2L, 4L, 8L, 16L, 30L, 30L, 30L);
  }

  @Test
  void theCapHoldsForever() {
    Backoff b = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(30), 2, 0);
    assertThat(b.delay(10_000, () -> 0)).isEqualTo(Duration.ofSeconds(30));
  }

  @Test
  void jitterOnlyShortensTheWait() {
    Backoff b = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(30), 2, 0.2);
    assertThat(b.delay(3, () -> 0)).isEqualTo(Duration.ofSeconds(4));
    assertThat(b.delay(3, () -> 0.5)).isEqualTo(Duration.ofMillis(3600));
    assertThat(b.delay(20, () -> 0.999_999)).isGreaterThan(Duration.ofSeconds(24));
    for (int n = 1; n < 50; n++) {
      assertThat(b.delay(n)).isLessThanOrEqualTo(Duration.ofSeconds(30)).isPositive();
    }
  }

  @Test
  void nonsenseIsRefused() {
    assertThatThrownBy(() -> new Backoff(Duration.ZERO, Duration.ofSeconds(1), 2, 0))
        .hasMessageContaining("initial");
    assertThatThrownBy(() -> new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(1), 2, 0))
        .hasMessageContaining("max");
    assertThatThrownBy(() -> new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(1), 0.5, 0))
        .hasMessageContaining("multiplier");
    assertThatThrownBy(() -> new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(1), 2, 1))
        .hasMessageContaining("jitter");
    assertThatThrownBy(
            () -> new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(1), 2, 0).delay(0))
        .hasMessageContaining("failedAttempts");
  }
}
