package dev.goldsmith.registry.metrics;

import java.time.Duration;
import java.time.Instant;
import java.util.Locale;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Status;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import dev.goldsmith.registry.domain.Build;

/**
 * The metrics of finished builds: {@code goldsmith_builds_finished_total{family,outcome}} and the
 * histogram {@code goldsmith_build_duration_seconds{family,outcome}} (from the request's intake to
 * the terminal state). A build is counted once, when the transaction that moved it out of the
 * pipeline commits; its outcome is its terminal status in lower case ({@code promoted}, {@code
 * verified}, {@code defective}, {@code unverified}, {@code failed}, {@code rejected}).
 */
@ApplicationScoped
public class BuildOutcomes {
  /** Counter of finished builds. */
  public static final String FINISHED = "goldsmith.builds.finished";

  /** Timer (histogram) of finished builds' durations. */
  public static final String DURATION = "goldsmith.build.duration";

  private final MeterRegistry meters;
  private final TransactionSynchronizationRegistry tx;

  public BuildOutcomes(MeterRegistry meters, TransactionSynchronizationRegistry tx) {
    this.meters = meters;
    this.tx = tx;
  }

  /** {@code b} reached its terminal status at {@code now}; counted once the transaction commits. */
  public void finished(Build b, Instant now) {
    String family = b.family == null ? "unknown" : b.family;
    String outcome = b.status.name().toLowerCase(Locale.ROOT);
    Duration took =
        b.createdAt == null || now.isBefore(b.createdAt)
            ? Duration.ZERO
            : Duration.between(b.createdAt, now);
    Runnable record = () -> record(family, outcome, took);
    if (tx.getTransactionKey() == null) {
      record.run();
      return;
    }
    tx.registerInterposedSynchronization(
        new Synchronization() {
          @Override
          public void beforeCompletion() {}

          @Override
          public void afterCompletion(int status) {
            if (status == Status.STATUS_COMMITTED) {
              record.run();
            }
          }
        });
  }

  void record(String family, String outcome, Duration took) {
    Counter.builder(FINISHED)
        .description("Builds that reached a terminal status")
        .tag("family", family)
        .tag("outcome", outcome)
        .register(meters)
        .increment();
    Timer.builder(DURATION)
        .description("Time from a build's intake to its terminal status")
        .tag("family", family)
        .tag("outcome", outcome)
        .publishPercentileHistogram()
        .minimumExpectedValue(Duration.ofSeconds(1))
        .maximumExpectedValue(Duration.ofHours(6))
        .register(meters)
        .record(took);
  }
}
