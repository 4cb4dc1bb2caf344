package dev.goldsmith.hcloud.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import dev.goldsmith.hcloud.RetrySettings;

class BackoffTest {

  @Test
  void doublesUpToTheCapWithoutJitter() {
    RetrySettings s =
        RetrySettings.defaults()
            .withBackoff(Duration.ofMillis(100), Duration.ofMillis(500))
            .withJitter(0);
    assertThat(Backoff.delay(s, 1)).isEqualTo(Duration.ofMillis(100));
    assertThat(Backoff.delay(s, 2)).isEqualTo(Duration.ofMillis(200));
    assertThat(Backoff.delay(s, 3)).isEqualTo(Duration.ofMillis(400));
    assertThat(Backoff.delay(s, 4)).isEqualTo(Duration.ofMillis(500));
    assertThat(Backoff.delay(s, 30)).isEqualTo(Duration.ofMillis(500));
  }

  @Test
  void jitterOnlyShortensAndStaysWithinItsShare() {
    RetrySettings s =
        RetrySettings.defaults()
            .withBackoff(Duration.ofMillis(1000), Duration.ofMillis(1000))
            .withJitter(0.5);
    boolean varied = false;
    long first = Backoff.delay(s, 1).toMillis();
    for (int i = 0; i < 200; i++) {
      long d = Backoff.delay(s, 1).toMillis();
      assertThat(d).isBetween(500L, 1000L);
      varied |= d != first;
    }
    assertThat(varied).isTrue();
  }
}
