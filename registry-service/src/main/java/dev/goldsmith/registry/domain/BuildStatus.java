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
  /** Verification passed and the version became the promoted one. */
  PROMOTED,
  /** Verification passed but the version was revoked meanwhile: never promoted. */
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
