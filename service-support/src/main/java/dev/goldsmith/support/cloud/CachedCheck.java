package dev.goldsmith.support.cloud;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

import org.eclipse.microprofile.health.HealthCheckResponse;

import io.smallrye.mutiny.Uni;

/**
 * A health probe asked at most once per {@code ttl}: callers in between get the last answer, and
 * concurrent callers share one probe in flight. The probe must not change anything (it is called by
 * every health request, from any instance).
 */
public final class CachedCheck {
  private final Supplier<Uni<HealthCheckResponse>> probe;
  private final Duration ttl;
  private final Clock clock;
  private final AtomicReference<Answer> last = new AtomicReference<>();
  private final AtomicReference<Uni<HealthCheckResponse>> inFlight = new AtomicReference<>();

  private record Answer(HealthCheckResponse response, Instant at) {}

  public CachedCheck(Supplier<Uni<HealthCheckResponse>> probe, Duration ttl, Clock clock) {
    this.probe = Objects.requireNonNull(probe, "probe");
    this.ttl = Objects.requireNonNull(ttl, "ttl");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** The cached answer while it is fresh, else a new probe's. */
  public Uni<HealthCheckResponse> call() {
    Answer a = last.get();
    if (a != null && clock.instant().isBefore(a.at().plus(ttl))) {
      return Uni.createFrom().item(a.response());
    }
    Uni<HealthCheckResponse> shared =
        inFlight.updateAndGet(
            current ->
                current != null
                    ? current
                    : Uni.createFrom()
                        .<HealthCheckResponse>deferred(probe::get)
                        .onItem()
                        .invoke(r -> last.set(new Answer(r, clock.instant())))
                        .onTermination()
                        .invoke(() -> inFlight.set(null))
                        .memoize()
                        .indefinitely());
    return shared;
  }
}
