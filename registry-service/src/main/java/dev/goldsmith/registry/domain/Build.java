package dev.goldsmith.registry.domain;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** One build id and the answer the registry gave it, plus what happened to it since. */
@Entity
@Table(name = "build")
public class Build {
  @Id
  @Column(name = "build_id")
  public UUID buildId;

  public String family;
  public String version;

  @Enumerated(EnumType.STRING)
  public BuildStatus status;

  @Column(name = "requested_by")
  public String requestedBy;

  /** {@code BUILD_ACCEPTED} or {@code BUILD_REJECTED} (an {@code EventType} name). */
  @Column(name = "answer_type")
  public String answerType;

  @Column(name = "answer_json")
  public String answerJson;

  @Column(name = "spec_json")
  public String specJson;

  @Column(name = "image_id")
  public Long imageId;

  public String verdict;

  @Column(name = "report_json")
  public String reportJson;

  /** The verdict's provenance ({@code dev.goldsmith.events.Provenance} as JSON), if any. */
  @Column(name = "provenance_json")
  public String provenanceJson;

  @Column(name = "failure_stage")
  public String failureStage;

  @Column(name = "failure_reason")
  public String failureReason;

  /** Why the build stands where it does, when that is not obvious (e.g. "superseded by v3"). */
  @Column(name = "status_reason")
  public String statusReason;

  @Column(name = "created_at")
  public Instant createdAt;

  @Column(name = "updated_at")
  public Instant updatedAt;
}
