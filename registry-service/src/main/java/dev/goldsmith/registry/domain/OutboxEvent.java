package dev.goldsmith.registry.domain;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** An event to publish, committed with the state it reports. */
@Entity
@Table(name = "outbox_event")
public class OutboxEvent {
  @Id
  @GeneratedValue(strategy = GenerationType.IDENTITY)
  public Long id;

  @Column(name = "build_id")
  public UUID buildId;

  /** An {@code EventType} name. */
  @Column(name = "event_type")
  public String eventType;

  public String payload;

  /** The CloudEvents id, fixed when the row is written: every resend carries it. */
  @Column(name = "ce_id")
  public String ceId;

  /** W3C trace context of the transaction that wrote the row, when there was one. */
  public String traceparent;

  @Column(name = "next_attempt_at")
  public Instant nextAttemptAt;

  /** Set when the row was given up on (poison, or too many failed attempts); see parkReason. */
  @Column(name = "parked_at")
  public Instant parkedAt;

  @Column(name = "park_reason")
  public String parkReason;

  @Column(name = "created_at")
  public Instant createdAt;

  @Column(name = "published_at")
  public Instant publishedAt;

  public int attempts;

  @Column(name = "last_error")
  public String lastError;
}
