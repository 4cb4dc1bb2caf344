package dev.goldsmith.registry.messaging;

import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import dev.goldsmith.events.EventCodec;
import dev.goldsmith.events.PipelineEvent;
import dev.goldsmith.registry.domain.OutboxEvent;
import dev.goldsmith.registry.domain.OutboxRepository;

/**
 * Writes events to publish into the outbox, inside the caller's transaction: an event exists only
 * if the state it reports was committed. {@link OutboxPublisher} sends them.
 */
@ApplicationScoped
public class Outbox {
  private final OutboxRepository outbox;

  public Outbox(OutboxRepository outbox) {
    this.outbox = outbox;
  }

  /** Adds an event; validated and serialized now. */
  @Transactional(Transactional.TxType.MANDATORY)
  public OutboxEvent add(PipelineEvent event) {
    return addJson(event.type().name(), event.buildId(), EventCodec.toJson(event));
  }

  /** Adds an already serialized event (a stored answer republished). */
  @Transactional(Transactional.TxType.MANDATORY)
  public OutboxEvent addJson(String eventType, java.util.UUID buildId, String json) {
    OutboxEvent row = new OutboxEvent();
    row.buildId = buildId;
    row.eventType = eventType;
    row.payload = json;
    row.createdAt = Instant.now();
    outbox.persist(row);
    return row;
  }
}
