package dev.goldsmith.registry.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import jakarta.transaction.Status;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;

import org.junit.jupiter.api.Test;

import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import dev.goldsmith.registry.domain.Build;
import dev.goldsmith.registry.domain.BuildStatus;

class BuildOutcomesTest {
  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  private final FakeTx tx = new FakeTx();
  private final BuildOutcomes outcomes = new BuildOutcomes(meters, tx);

  @Test
  void aBuildIsCountedByFamilyAndOutcomeWithItsDurationOnlyWhenItsTransactionCommits() {
    Instant start = Instant.parse("2026-11-25T10:00:00Z");
    Build promoted = build("vault-base", BuildStatus.PROMOTED, start);
    Build failed = build("vault-base", BuildStatus.FAILED, start);

    tx.active = true;
    outcomes.finished(promoted, start.plusSeconds(90));
    outcomes.finished(failed, start.plusSeconds(30));
    assertThat(meters.find(BuildOutcomes.FINISHED).counters()).isEmpty();
    tx.complete(0, Status.STATUS_COMMITTED);
    tx.complete(1, Status.STATUS_ROLLEDBACK);

    assertThat(
            meters
                .get(BuildOutcomes.FINISHED)
                .tag("family", "vault-base")
                .tag("outcome", "promoted")
                .counter()
                .count())
        .isEqualTo(1.0);
    assertThat(meters.find(BuildOutcomes.FINISHED).tag("outcome", "failed").counter()).isNull();
    Timer took = meters.get(BuildOutcomes.DURATION).tag("outcome", "promoted").timer();
    assertThat(took.count()).isEqualTo(1);
    assertThat(took.totalTime(java.util.concurrent.TimeUnit.SECONDS)).isEqualTo(90.0);
  }

  @Test
  void outsideATransactionARejectedBuildWithoutFamilyIsCountedAtOnce() {
    Instant now = Instant.parse("2026-11-25T10:00:00Z");
    outcomes.finished(build(null, BuildStatus.REJECTED, now), now);
    assertThat(
            meters
                .get(BuildOutcomes.FINISHED)
                .tag("family", "unknown")
                .tag("outcome", "rejected")
                .counter()
                .count())
        .isEqualTo(1.0);
    assertThat(
            meters
                .get(BuildOutcomes.DURATION)
                .timer()
                .totalTime(java.util.concurrent.TimeUnit.SECONDS))
        .isZero();
  }

  private static Build build(String family, BuildStatus status, Instant created) {
    Build b = new Build();
    b.buildId = UUID.randomUUID();
    b.family = family;
    b.status = status;
    b.createdAt = created;
    return b;
  }

  /** Records synchronizations; completes them when told. */
  static final class FakeTx implements TransactionSynchronizationRegistry {
    boolean active;
    final List<Synchronization> syncs = new ArrayList<>();

    void complete(int index, int status) {
      syncs.get(index).afterCompletion(status);
    }

    @Override
    public Object getTransactionKey() {
      return active ? "tx" : null;
    }

    @Override
    public void putResource(Object key, Object value) {}

    @Override
    public Object getResource(Object key) {
      return null;
    }

    @Override
    public void registerInterposedSynchronization(Synchronization sync) {
      syncs.add(sync);
    }

    @Override
    public int getTransactionStatus() {
      return active ? Status.STATUS_ACTIVE : Status.STATUS_NO_TRANSACTION;
    }

    @Override
    public void setRollbackOnly() {}

    @Override
    public boolean getRollbackOnly() {
      return false;
    }
  }
}
