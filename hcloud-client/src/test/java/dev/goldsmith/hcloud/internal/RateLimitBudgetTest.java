package dev.goldsmith.hcloud.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

class RateLimitBudgetTest {

  private final AtomicLong now = new AtomicLong(1_700_000_000_000L);
  private final RateLimitBudget budget = RateLimitBudget.isolated(now::get);

  private String epochSeconds(long plusMillis) {
    return Long.toString((now.get() + plusMillis) / 1000);
  }

  @Test
  void unknownBudgetNeverWaits() {
    assertThat(budget.tryAcquire(60_000)).isZero();
    assertThat(budget.remaining()).isEqualTo(-1);
  }

  @Test
  void spendsRemainingThenWaitsForTheNextRefill() {
    // 3600/h, 2 left, full again in 3597 s (+1 s for the header's granularity): one per second.
    budget.update("3600", "2", epochSeconds(3_597_000));
    assertThat(budget.tryAcquire(60_000)).isZero();
    assertThat(budget.tryAcquire(60_000)).isZero();
    long wait = budget.tryAcquire(60_000);
    assertThat(wait).isBetween(1L, 1000L);

    now.addAndGet(1000);
    assertThat(budget.tryAcquire(60_000)).isZero();
  }

  @Test
  void refillEstimateIsNeverFasterThanTheHeadersAllow() {
    // 0 left of 2, header says full in 1 s, which may really be up to 2 s: one unit per second.
    budget.update("2", "0", epochSeconds(1_000));
    assertThat(budget.tryAcquire(60_000)).isEqualTo(1000);
    now.addAndGet(999);
    assertThat(budget.tryAcquire(60_000)).isEqualTo(1);
    now.addAndGet(1);
    assertThat(budget.tryAcquire(60_000)).isZero();
  }

  @Test
  void waitIsCapped() {
    budget.update("10", "0", epochSeconds(36_000_000));
    assertThat(budget.tryAcquire(500)).isEqualTo(500);
  }

  @Test
  void rateLimitedBlocksUntilReset() {
    budget.update("3600", "3000", epochSeconds(600_000));
    long wait = budget.rateLimited(epochSeconds(3_000), 1000, 60_000);
    assertThat(wait).isBetween(2_000L, 3_000L);
    assertThat(budget.tryAcquire(60_000)).isBetween(2_000L, 3_000L);
    now.addAndGet(3_001);
    assertThat(budget.tryAcquire(60_000)).isZero();
  }

  @Test
  void rateLimitedWithoutResetUsesFallback() {
    assertThat(budget.rateLimited(null, 1234, 60_000)).isEqualTo(1234);
  }

  @Test
  void refillsNeverExceedTheLimit() {
    budget.update("5", "5", epochSeconds(0));
    now.addAndGet(3_600_000);
    assertThat(budget.remaining()).isEqualTo(5);
  }

  @Test
  void sharedBudgetIsOnePerProject() {
    RateLimitBudget a = RateLimitBudget.shared("http://x/v1", "token-one");
    RateLimitBudget b = RateLimitBudget.shared("http://x/v1", "token-one");
    RateLimitBudget c = RateLimitBudget.shared("http://x/v1", "token-two");
    assertThat(a).isSameAs(b).isNotSameAs(c);
  }

  @Test
  void garbageHeadersAreIgnored() {
    budget.update("lots", "2", "soon");
    assertThat(budget.limit()).isEqualTo(-1);
  }
}
