package dev.goldsmith.registry.messaging;

import java.time.Clock;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import org.jboss.logging.MDC;

import dev.goldsmith.events.EventCodec;
import dev.goldsmith.events.PipelineEvent;
import dev.goldsmith.registry.domain.OutboxEvent;
import dev.goldsmith.registry.domain.OutboxRepository;

/**
 * Writes events to publish into the outbox, inside the caller's transaction: an event exists only
 * if the state it reports was committed. The row gets its CloudEvents id here, once, so every
 * resend carries the same id. {@link OutboxPublisher} sends them.
 */
@ApplicationScoped
public class Outbox {
  /** MDC key under which the consumer leaves the trace context of the record being handled. */
  public static final String TRACEPARENT_MDC = "traceparent";

  private final OutboxRepository outbox;
  private final Clock clock;

  public Outbox(OutboxRepository outbox, Clock clock) {
    this.outbox = outbox;
    this.clock = clock;
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
    Object trace = MDC.get(TRACEPARENT_MDC);
    row.traceparent = trace == null ? null : trace.toString();
    row.createdAt = clock.instant();
    row.nextAttemptAt = row.createdAt;
    outbox.persist(row);
    return row;
  }
}
