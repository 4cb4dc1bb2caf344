package dev.goldsmith.registry.domain;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** One pipeline event as recorded for its build. */
@Entity
@Table(name = "timeline_event")
public class TimelineEvent {
  @Id
  @GeneratedValue(strategy = GenerationType.IDENTITY)
  public Long id;

  @Column(name = "build_id")
  public UUID buildId;

  @Column(name = "ce_id")
  public String ceId;

  @Column(name = "event_type")
  public String eventType;

  public String stage;
  public String outcome;

  @Column(name = "occurred_at")
  public Instant occurredAt;

  @Column(name = "recorded_at")
  public Instant recordedAt;

  public String payload;
}
