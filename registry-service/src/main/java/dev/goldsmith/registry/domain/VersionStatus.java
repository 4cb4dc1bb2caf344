package dev.goldsmith.registry.domain;

/** Where a version of a family stands. */
public enum VersionStatus {
  /** Accepted, no snapshot yet. */
  BUILDING,
  /** Snapshot created, not yet verified. */
  CANDIDATE,
  /** Verified; not the promoted one (never promoted yet, or superseded, or rolled back from). */
  VERIFIED,
  /** The family's promoted version; at most one per family (partial unique index). */
  PROMOTED,
  /** Verification reached no verdict on the image; the snapshot is kept. */
  UNVERIFIED,
  /** Verification found an artifact defect; the snapshot is deleted. */
  REJECTED,
  /** Revoked by an operator: never promotable again. */
  REVOKED,
  /** The build failed before a verdict. */
  FAILED;

  public boolean inProgress() {
    return this == BUILDING || this == CANDIDATE;
  }
}
