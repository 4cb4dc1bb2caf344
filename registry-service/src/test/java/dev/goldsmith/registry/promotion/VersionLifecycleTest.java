package dev.goldsmith.registry.promotion;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.goldsmith.registry.domain.Build;
import dev.goldsmith.registry.domain.BuildStatus;
import dev.goldsmith.registry.domain.ImageVersion;
import dev.goldsmith.registry.domain.VersionStatus;

class VersionLifecycleTest {
  private static final Instant NOW = Instant.parse("2026-12-01T10:00:00Z");

  private static ImageVersion version(VersionStatus s) {
    ImageVersion v = new ImageVersion();
    v.family = "f";
    v.version = "20261201-v1";
    v.buildId = UUID.randomUUID();
    v.status = s;
    v.imageId = 7L;
    return v;
  }

  private static Build build(BuildStatus s) {
    Build b = new Build();
    b.status = s;
    return b;
  }

  @Test
  void candidateToPromotedToSupersededToDeletedKeepsBuildAndVersionConsistent() {
    ImageVersion v = version(VersionStatus.BUILDING);
    Build b = build(BuildStatus.CONFIGURED);
    assertThat(VersionLifecycle.snapshotCreated(v, b, 7L, NOW)).isTrue();
    assertThat(v.status).isEqualTo(VersionStatus.CANDIDATE);
    assertThat(b.status).isEqualTo(BuildStatus.SNAPSHOTTED);
    assertThat(VersionLifecycle.consistent(v, b)).isTrue();

    assertThat(VersionLifecycle.promoted(v, b, NOW)).isTrue();
    assertThat(b.status).isEqualTo(BuildStatus.PROMOTED);
    assertThat(v.promotedAt).isEqualTo(NOW);

    assertThat(VersionLifecycle.superseded(v, b, "20261201-v2", NOW)).isTrue();
    assertThat(v.status).isEqualTo(VersionStatus.SUPERSEDED);
    assertThat(b.status)
        .as("a superseded build no longer says PROMOTED")
        .isEqualTo(BuildStatus.VERIFIED);
    assertThat(b.statusReason).isEqualTo("superseded by 20261201-v2");
    assertThat(VersionLifecycle.consistent(v, b)).isTrue();

    assertThat(VersionLifecycle.snapshotDeleted(v, b, "beyond keep_previous=0", NOW)).isTrue();
    assertThat(v.status).isEqualTo(VersionStatus.DELETED);
    assertThat(v.imageDeletedAt).isEqualTo(NOW);
    assertThat(v.hasImage()).isFalse();
    assertThat(v.statusReason).isEqualTo("snapshot deleted: beyond keep_previous=0");
    assertThat(VersionLifecycle.consistent(v, b)).isTrue();
    assertThat(VersionLifecycle.snapshotDeleted(v, b, "again", NOW)).isFalse();
  }

  @Test
  void notHigherVerdictBecomesVerifiedWithItsReason() {
    ImageVersion v = version(VersionStatus.CANDIDATE);
    Build b = build(BuildStatus.SNAPSHOTTED);
    assertThat(VersionLifecycle.verifiedNotPromoted(v, b, "not higher than v4", NOW)).isTrue();
    assertThat(v.status).isEqualTo(VersionStatus.VERIFIED);
    assertThat(b.status).isEqualTo(BuildStatus.VERIFIED);
    assertThat(v.statusReason).isEqualTo("not higher than v4");
    assertThat(VersionLifecycle.consistent(v, b)).isTrue();
  }

  @Test
  void transitionsNotAllowedFromTheCurrentStatusChangeNothing() {
    ImageVersion rejected = version(VersionStatus.REJECTED);
    Build defective = build(BuildStatus.DEFECTIVE);
    assertThat(VersionLifecycle.promoted(rejected, defective, NOW)).isFalse();
    assertThat(VersionLifecycle.superseded(rejected, defective, "x", NOW)).isFalse();
    assertThat(VersionLifecycle.unverified(rejected, defective, "x", NOW)).isFalse();
    assertThat(rejected.status).isEqualTo(VersionStatus.REJECTED);
    assertThat(defective.status).isEqualTo(BuildStatus.DEFECTIVE);

    ImageVersion promoted = version(VersionStatus.PROMOTED);
    Build b = build(BuildStatus.PROMOTED);
    assertThat(VersionLifecycle.revoked(promoted, b, "ops", "no", NOW)).isFalse();
    assertThat(VersionLifecycle.failed(promoted, b, "late failure", NOW)).isFalse();
    assertThat(promoted.status).isEqualTo(VersionStatus.PROMOTED);
  }

  @Test
  void revokedRecordsWhoAndWhyAndADeletedSnapshotKeepsTheStatus() {
    ImageVersion v = version(VersionStatus.SUPERSEDED);
    Build b = build(BuildStatus.VERIFIED);
    assertThat(VersionLifecycle.revoked(v, b, "ops-alice", "CVE", NOW)).isTrue();
    assertThat(v.revokedBy).isEqualTo("ops-alice");
    assertThat(v.revokeReason).isEqualTo("CVE");
    assertThat(VersionLifecycle.snapshotDeleted(v, b, "revoked", NOW)).isTrue();
    assertThat(v.status).isEqualTo(VersionStatus.REVOKED);
    assertThat(v.imageDeletedAt).isEqualTo(NOW);
    assertThat(VersionLifecycle.consistent(v, b)).isTrue();
  }

  @Test
  void buildStagesOnlyMoveForward() {
    Build b = build(BuildStatus.CONFIGURED);
    assertThat(VersionLifecycle.buildProgressed(b, BuildStatus.PROVISIONED, NOW)).isFalse();
    assertThat(b.status).isEqualTo(BuildStatus.CONFIGURED);
    Build done = build(BuildStatus.PROMOTED);
    assertThat(VersionLifecycle.buildProgressed(done, BuildStatus.SNAPSHOTTED, NOW)).isFalse();
  }

  @Test
  void aPromotedBuildOfASupersededVersionIsAContradiction() {
    assertThat(
            VersionLifecycle.consistent(
                version(VersionStatus.SUPERSEDED), build(BuildStatus.PROMOTED)))
        .isFalse();
    assertThat(
            VersionLifecycle.consistent(
                version(VersionStatus.DELETED), build(BuildStatus.PROMOTED)))
        .isFalse();
  }
}
