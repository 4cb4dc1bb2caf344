package dev.goldsmith.registry.messaging;

import java.time.Clock;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import dev.goldsmith.events.EventCodec;
import dev.goldsmith.events.PipelineEvent;
import dev.goldsmith.registry.domain.OutboxEvent;
import dev.goldsmith.registry.domain.OutboxRepository;
import dev.goldsmith.support.tracing.BuildTraces;

/**
 * Writes events to publish into the outbox, inside the caller's transaction: an event exists only
 * if the state it reports was committed. The row gets its CloudEvents id here, once, so every
 * resend carries the same id, and the {@code traceparent} of the build's trace (see {@link
 * #traceparent}), so the publisher, whatever thread and instance it runs on and however late, sends
 * it in that trace. {@link OutboxPublisher} sends them.
 */
@ApplicationScoped
public class Outbox {
  private final OutboxRepository outbox;
  private final Clock clock;
  private final BuildTraces traces;

  public Outbox(OutboxRepository outbox, Clock clock, BuildTraces traces) {
    this.outbox = outbox;
    this.clock = clock;
    this.traces = traces;
  }

  /** Adds an event; validated and serialized now. */
  @Transactional(Transactional.TxType.MANDATORY)
  public OutboxEvent add(PipelineEvent event) {
    return addJson(event.type().name(), event.buildId(), EventCodec.toJson(event));
  }

  /** Adds an already serialized event (a stored answer republished). */
  @Transactional(Transactional.TxType.MANDATORY)
  public OutboxEvent addJson(String eventType, UUID buildId, String json) {
    OutboxEvent row = new OutboxEvent();
    row.buildId = buildId;
    row.eventType = eventType;
    row.payload = json;
    row.ceId = UUID.randomUUID().toString();
    row.traceparent = traceparent(buildId);
    row.createdAt = clock.instant();
    row.nextAttemptAt = row.createdAt;
    outbox.persist(row);
    return row;
  }

  /**
   * The trace context a new row of {@code buildId} carries: the build's trace is the one of its
   * earlier rows (the first started at intake); the current span is taken when it belongs to that
   * trace (a consumer of the build's events), or when the build has no row yet. Work outside the
   * build's trace (an operator's request, the watchdog) continues the build's trace, never its own.
   */
  String traceparent(UUID buildId) {
    Optional<String> stored = buildId == null ? Optional.empty() : outbox.lastTraceparent(buildId);
    Optional<String> current = traces.traceparent(buildId == null ? null : buildId.toString());
    if (stored.isEmpty()) {
      return current.orElse(null);
    }
    if (current.isPresent()
        && BuildTraces.traceId(current.get()).equals(BuildTraces.traceId(stored.get()))) {
      return current.get();
    }
    return stored.get();
  }
}
