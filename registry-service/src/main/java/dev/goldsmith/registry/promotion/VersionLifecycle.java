package dev.goldsmith.registry.promotion;

import java.time.Instant;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

import dev.goldsmith.registry.domain.Build;
import dev.goldsmith.registry.domain.BuildStatus;
import dev.goldsmith.registry.domain.ImageVersion;
import dev.goldsmith.registry.domain.VersionStatus;

/**
 * The one state machine of versions and their builds: the only code that changes {@code
 * ImageVersion.status} or {@code Build.status} after intake. Every transition moves both so they
 * never contradict ({@link #consistent}); a transition not allowed from the current status returns
 * false and changes nothing. Pure: no database, no clock (the caller passes {@code now}).
 */
public final class VersionLifecycle {
  private static final Set<VersionStatus> DELETABLE =
      EnumSet.of(
          VersionStatus.VERIFIED,
          VersionStatus.SUPERSEDED,
          VersionStatus.UNVERIFIED,
          VersionStatus.PROMOTED);

  /** Which build statuses fit each version status. */
  private static final Map<VersionStatus, Set<BuildStatus>> FITS =
      Map.of(
          VersionStatus.BUILDING, BuildStatus.IN_PROGRESS,
          VersionStatus.CANDIDATE, BuildStatus.IN_PROGRESS,
          VersionStatus.PROMOTED, EnumSet.of(BuildStatus.PROMOTED),
          VersionStatus.VERIFIED, EnumSet.of(BuildStatus.VERIFIED),
          VersionStatus.SUPERSEDED, EnumSet.of(BuildStatus.VERIFIED),
          VersionStatus.DELETED, EnumSet.of(BuildStatus.VERIFIED, BuildStatus.UNVERIFIED),
          VersionStatus.UNVERIFIED, EnumSet.of(BuildStatus.UNVERIFIED),
          VersionStatus.REJECTED, EnumSet.of(BuildStatus.DEFECTIVE),
          VersionStatus.REVOKED,
              EnumSet.of(
                  BuildStatus.ACCEPTED,
                  BuildStatus.PROVISIONED,
                  BuildStatus.CONFIGURED,
                  BuildStatus.SNAPSHOTTED,
                  BuildStatus.VERIFIED,
                  BuildStatus.DEFECTIVE,
                  BuildStatus.UNVERIFIED,
                  BuildStatus.FAILED),
          VersionStatus.FAILED, EnumSet.of(BuildStatus.FAILED));

  private VersionLifecycle() {}

  /** Whether a version's and its build's status tell the same story. */
  public static boolean consistent(ImageVersion v, Build b) {
    return FITS.get(v.status).contains(b.status);
  }

  /** The build moved forward through the pipeline stages (never back, never past a verdict). */
  public static boolean buildProgressed(Build b, BuildStatus to, Instant now) {
    if (!b.status.inProgress() || b.status.ordinal() >= to.ordinal() || !to.inProgress()) {
      return false;
    }
    b.status = to;
    b.updatedAt = now;
    return true;
  }

  /** The snapshot exists: BUILDING → CANDIDATE; the build is SNAPSHOTTED. */
  public static boolean snapshotCreated(ImageVersion v, Build b, long imageId, Instant now) {
    v.imageId = imageId;
    v.updatedAt = now;
    buildProgressed(b, BuildStatus.SNAPSHOTTED, now);
    if (v.status != VersionStatus.BUILDING) {
      return false;
    }
    v.status = VersionStatus.CANDIDATE;
    return true;
  }

  /** Verification passed and the version is higher than the promoted one: PROMOTED. */
  public static boolean promoted(ImageVersion v, Build b, Instant now) {
    if (!v.status.inProgress() && !VersionStatus.PROMOTABLE.contains(v.status)) {
      return false;
    }
    if (v.verifiedAt == null) {
      v.verifiedAt = now;
    }
    set(v, b, VersionStatus.PROMOTED, BuildStatus.PROMOTED, null, now);
    v.promotedAt = now;
    return true;
  }

  /** Verification passed but the version is not higher than the promoted one: VERIFIED. */
  public static boolean verifiedNotPromoted(ImageVersion v, Build b, String why, Instant now) {
    if (!v.status.inProgress()) {
      return false;
    }
    v.verifiedAt = now;
    set(v, b, VersionStatus.VERIFIED, BuildStatus.VERIFIED, why, now);
    return true;
  }

  /** Another version became the promoted one: PROMOTED → SUPERSEDED. */
  public static boolean superseded(ImageVersion v, Build b, String by, Instant now) {
    if (v.status != VersionStatus.PROMOTED) {
      return false;
    }
    set(v, b, VersionStatus.SUPERSEDED, BuildStatus.VERIFIED, "superseded by " + by, now);
    v.supersededAt = now;
    return true;
  }

  /** Verification found an artifact defect: REJECTED / DEFECTIVE. */
  public static boolean defective(ImageVersion v, Build b, String why, Instant now) {
    if (!v.status.inProgress()) {
      return false;
    }
    set(v, b, VersionStatus.REJECTED, BuildStatus.DEFECTIVE, why, now);
    return true;
  }

  /** Verification reached no verdict: UNVERIFIED. */
  public static boolean unverified(ImageVersion v, Build b, String why, Instant now) {
    if (!v.status.inProgress()) {
      return false;
    }
    set(v, b, VersionStatus.UNVERIFIED, BuildStatus.UNVERIFIED, why, now);
    return true;
  }

  /** A stage failed before a verdict: FAILED. */
  public static boolean failed(ImageVersion v, Build b, String why, Instant now) {
    if (!v.status.inProgress() || !b.status.inProgress()) {
      return false;
    }
    set(v, b, VersionStatus.FAILED, BuildStatus.FAILED, why, now);
    return true;
  }

  /** A verdict for a version revoked while in progress: the version stays REVOKED. */
  public static void verdictOnRevoked(ImageVersion v, Build b, boolean passed, Instant now) {
    b.status = passed ? BuildStatus.VERIFIED : BuildStatus.DEFECTIVE;
    b.statusReason = "revoked before its verdict: " + v.revokeReason;
    b.updatedAt = now;
  }

  /** An operator revoked the version: REVOKED, with who and why. Never for the promoted one. */
  public static boolean revoked(ImageVersion v, Build b, String by, String why, Instant now) {
    if (v.status == VersionStatus.PROMOTED || v.status == VersionStatus.REVOKED) {
      return false;
    }
    v.status = VersionStatus.REVOKED;
    v.revokedAt = now;
    v.revokedBy = by;
    v.revokeReason = why;
    v.statusReason = "revoked by " + by + ": " + why;
    v.updatedAt = now;
    if (b.status == BuildStatus.PROMOTED) {
      b.status = BuildStatus.VERIFIED;
    }
    b.statusReason = v.statusReason;
    b.updatedAt = now;
    return true;
  }

  /**
   * The snapshot was deleted (or found gone): VERIFIED, SUPERSEDED, UNVERIFIED and a vanished
   * PROMOTED become DELETED with the reason; REJECTED, REVOKED and FAILED keep their status. Either
   * way {@code deletedAt} is set.
   */
  public static boolean snapshotDeleted(ImageVersion v, Build b, String why, Instant now) {
    if (v.imageDeletedAt != null) {
      return false;
    }
    v.imageDeletedAt = now;
    v.updatedAt = now;
    if (DELETABLE.contains(v.status)) {
      BuildStatus bs =
          v.status == VersionStatus.UNVERIFIED ? BuildStatus.UNVERIFIED : BuildStatus.VERIFIED;
      set(v, b, VersionStatus.DELETED, bs, "snapshot deleted: " + why, now);
    } else {
      v.statusReason =
          (v.statusReason == null ? "" : v.statusReason + "; ") + "snapshot deleted: " + why;
    }
    return true;
  }

  private static void set(
      ImageVersion v, Build b, VersionStatus vs, BuildStatus bs, String why, Instant now) {
    v.status = vs;
    v.statusReason = why;
    v.updatedAt = now;
    b.status = bs;
    b.statusReason = why;
    b.updatedAt = now;
  }
}
