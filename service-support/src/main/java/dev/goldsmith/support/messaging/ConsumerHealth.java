package dev.goldsmith.support.messaging;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;

/**
 * The records waiting out a failed dependency, and the readiness answer they make (see {@link
 * ConsumerReadiness}): DOWN while any record waits, with the record, the dependency, the last
 * error, the attempt count and since when; UP again as soon as every such record has gone through.
 */
@ApplicationScoped
public class ConsumerHealth {
  /** Name of the check in the health report. */
  public static final String NAME = "event-consumers";

  private final Map<RecordRef, Outage> outages = new ConcurrentHashMap<>();
  private final Clock clock;

  /** A record waiting out a failed dependency. */
  public record Outage(String dependency, String error, int attempts, Instant since) {}

  public ConsumerHealth() {
    this(Clock.systemUTC());
  }

  ConsumerHealth(Clock clock) {
    this.clock = clock;
  }

  /** {@code record} failed attempt {@code attempt} because of {@code failure}. */
  void retrying(RecordRef record, Failure failure, int attempt) {
    outages.merge(
        record,
        new Outage(failure.dependency(), failure.summary(), attempt, clock.instant()),
        (old, now) -> new Outage(now.dependency(), now.error(), attempt, old.since()));
  }

  /** {@code record} is done (handled, dead-lettered or handed back). */
  void settled(RecordRef record) {
    outages.remove(record);
  }

  /** True while no record waits for a dependency. */
  public boolean up() {
    return outages.isEmpty();
  }

  /** The records waiting now. */
  public Map<RecordRef, Outage> outages() {
    return Map.copyOf(outages);
  }

  /** The readiness answer: UP when no record waits. */
  public HealthCheckResponse call() {
    HealthCheckResponseBuilder b = HealthCheckResponse.named(NAME).status(outages.isEmpty());
    Instant now = clock.instant();
    outages.forEach(
        (record, o) ->
            b.withData(
                record.toString(),
                o.dependency()
                    + " failing for "
                    + Duration.between(o.since(), now).toSeconds()
                    + " s, attempts="
                    + o.attempts()
                    + ", last error "
                    + o.error()));
    return b.build();
  }
}
