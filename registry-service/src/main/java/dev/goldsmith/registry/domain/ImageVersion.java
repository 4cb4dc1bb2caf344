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
import jakarta.persistence.PostPersist;
import jakarta.persistence.PostRemove;
import jakarta.persistence.PostUpdate;
import jakarta.persistence.Table;

import dev.goldsmith.registry.readmodel.PromotedReadModel;

/** A version of a family, its snapshot image and its status. */
@Entity
@Table(name = "image_version")
public class ImageVersion {
  @Id
  @GeneratedValue(strategy = GenerationType.IDENTITY)
  public Long id;

  public String family;
  public String version;

  @Column(name = "build_id")
  public UUID buildId;

  @Enumerated(EnumType.STRING)
  public VersionStatus status;

  @Column(name = "image_id")
  public Long imageId;

  @Column(name = "image_deleted_at")
  public Instant imageDeletedAt;

  @Column(name = "verified_at")
  public Instant verifiedAt;

  @Column(name = "promoted_at")
  public Instant promotedAt;

  @Column(name = "superseded_at")
  public Instant supersededAt;

  @Column(name = "revoked_at")
  public Instant revokedAt;

  @Column(name = "revoke_reason")
  public String revokeReason;

  @Column(name = "revoked_by")
  public String revokedBy;

  /** Why the version stands where it does (why it was not promoted, why its snapshot is gone). */
  @Column(name = "status_reason")
  public String statusReason;

  /** When Goldsmith itself enabled the snapshot's delete protection (only then does it lift it). */
  @Column(name = "protection_set_at")
  public Instant protectionSetAt;

  @Column(name = "created_at")
  public Instant createdAt;

  @Column(name = "updated_at")
  public Instant updatedAt;

  /** Every change of a version drops its family's promoted lookup once the change commits. */
  @PostPersist
  @PostUpdate
  @PostRemove
  void changed() {
    PromotedReadModel.changed(family);
  }

  /** Whether the snapshot is believed to exist. */
  public boolean hasImage() {
    return imageId != null && imageDeletedAt == null;
  }
}
