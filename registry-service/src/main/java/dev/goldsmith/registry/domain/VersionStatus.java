package dev.goldsmith.registry.domain;

import java.util.EnumSet;
import java.util.Set;

/**
 * Where a version of a family stands, including what happened to its snapshot. Only {@link
 * dev.goldsmith.registry.promotion.VersionLifecycle} changes it (the state diagram is in the module
 * README).
 */
public enum VersionStatus {
  /** Accepted, no snapshot yet. */
  BUILDING,
  /** Snapshot created, not yet verified. */
  CANDIDATE,
  /**
   * Verified, never promoted: it was not higher than the promoted version when its verdict came.
   * Retention deletes its snapshot (then DELETED).
   */
  VERIFIED,
  /** The family's promoted version; at most one per family (partial unique index). */
  PROMOTED,
  /**
   * Was promoted, another version replaced it (or an operator rolled back from it); its snapshot is
   * kept for rollback while within {@code keep_previous}.
   */
  SUPERSEDED,
  /**
   * Verified (or unverified) once; retention deleted the snapshot ({@code deletedAt}, reason in
   * {@code statusReason}). Never promotable again.
   */
  DELETED,
  /** Verification reached no verdict on the image; the snapshot stays until retention runs. */
  UNVERIFIED,
  /** Verification found an artifact defect; the snapshot is deleted. */
  REJECTED,
  /** Revoked by an operator (who and why recorded): never promotable again; snapshot deleted. */
  REVOKED,
  /** The build failed before a verdict. */
  FAILED;

  /** Statuses an operator may promote (rollback or manual promotion) when the snapshot exists. */
  public static final Set<VersionStatus> PROMOTABLE = EnumSet.of(VERIFIED, SUPERSEDED);

  public boolean inProgress() {
    return this == BUILDING || this == CANDIDATE;
  }
}
