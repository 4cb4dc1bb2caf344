package dev.goldsmith.registry.domain;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** The watchdog's record of a build: the stage it is in, since when, and its deadline. */
@Entity
@Table(name = "stage_deadline")
public class StageDeadline {
  @Id
  @Column(name = "build_id")
  public UUID buildId;

  /** The build status (stage) the deadline belongs to. */
  @Enumerated(EnumType.STRING)
  public BuildStatus status;

  @Column(name = "entered_at")
  public Instant enteredAt;

  @Column(name = "deadline_at")
  public Instant deadlineAt;

  /** How often the watchdog re-drove this stage. */
  public int redrives;

  @Column(name = "last_redrive_at")
  public Instant lastRedriveAt;

  /** When the watchdog gave up on the build (it ended FAILED, reason deadline). */
  @Column(name = "expired_at")
  public Instant expiredAt;
}
