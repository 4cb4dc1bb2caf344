package dev.goldsmith.registry.domain;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/**
 * Cloud work that follows a committed decision. A PROMOTE task goes PROTECT → CLEANUP → DONE; a
 * DELETE_IMAGE task goes DELETE → DONE. Each step is idempotent, so a task can be resumed from its
 * step after a crash.
 */
@Entity
@Table(name = "cloud_task")
public class CloudTask {
  /** What the task does. */
  public enum Kind {
    PROMOTE,
    DELETE_IMAGE
  }

  /** The next step to run. */
  public enum Step {
    PROTECT,
    CLEANUP,
    DELETE,
    DONE,
    FAILED
  }

  @Id
  @GeneratedValue(strategy = GenerationType.IDENTITY)
  public Long id;

  @Enumerated(EnumType.STRING)
  public Kind kind;

  public String family;
  public String version;

  @Column(name = "build_id")
  public UUID buildId;

  @Column(name = "image_id")
  public long imageId;

  @Column(name = "previous_image_id")
  public Long previousImageId;

  @Enumerated(EnumType.STRING)
  public Step step;

  public int attempts;

  @Column(name = "last_error")
  public String lastError;

  @Column(name = "next_attempt_at")
  public Instant nextAttemptAt;

  /** The instance holding the task now, until {@link #leaseUntil}. */
  @Column(name = "lease_owner")
  public String leaseOwner;

  @Column(name = "lease_until")
  public Instant leaseUntil;

  /** Who asked (PROMOTE: {@code registry} or the operator). */
  public String actor;

  /** Why (PROMOTE: the operator's reason; DELETE_IMAGE: why the snapshot goes). */
  public String reason;

  /** When the task was parked as FAILED (reason in lastError). */
  @Column(name = "parked_at")
  public Instant parkedAt;

  @Column(name = "created_at")
  public Instant createdAt;

  @Column(name = "updated_at")
  public Instant updatedAt;
}
