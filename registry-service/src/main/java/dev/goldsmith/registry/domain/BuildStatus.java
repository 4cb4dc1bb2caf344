package dev.goldsmith.registry.domain;

import java.util.EnumSet;
import java.util.Set;

/** Where a build stands, as the registry last saw it. */
public enum BuildStatus {
  /** Refused at intake. */
  REJECTED,
  /** Version allocated, BuildAccepted published. */
  ACCEPTED,
  /** The builder server is up. */
  PROVISIONED,
  /** Ansible ran on the builder. */
  CONFIGURED,
  /** The snapshot exists and awaits verification. */
  SNAPSHOTTED,
  /** Verification passed and the version is the family's promoted one now. */
  PROMOTED,
  /**
   * Verification passed but the version is not (or no longer) the promoted one: not higher than the
   * promoted version, superseded by a newer one, revoked, or its snapshot deleted by retention. The
   * build's {@code statusReason} says which.
   */
  VERIFIED,
  /** Verification found an artifact defect. */
  DEFECTIVE,
  /** Verification could not reach a verdict on the image (channel or infrastructure failure). */
  UNVERIFIED,
  /** A stage failed (BuildFailed). */
  FAILED;

  /** Statuses of builds still running: their snapshots must not be deleted. */
  public static final Set<BuildStatus> IN_PROGRESS =
      EnumSet.of(ACCEPTED, PROVISIONED, CONFIGURED, SNAPSHOTTED);

  public boolean inProgress() {
    return IN_PROGRESS.contains(this);
  }
}
