package dev.goldsmith.registry.promotion;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import dev.goldsmith.registry.domain.VersionStatus;
import dev.goldsmith.registry.promotion.RetentionPolicy.Decision;
import dev.goldsmith.registry.promotion.RetentionPolicy.OwnedSnapshot;
import dev.goldsmith.registry.promotion.RetentionPolicy.VersionFacts;

class RetentionPolicyTest {
  private static final Instant T = Instant.parse("2026-12-01T10:00:00Z");

  private static VersionFacts v(String version, VersionStatus s, long image, Instant superseded) {
    return new VersionFacts(version, "b-" + version, s, image, true, superseded);
  }

  private static Map<Long, Decision> byImage(List<Decision> d) {
    return d.stream().collect(Collectors.toMap(Decision::imageId, x -> x));
  }

  @Test
  void keepsPromotedInProgressAndTheMostRecentlySupersededWithinKeepPrevious() {
    List<VersionFacts> versions =
        List.of(
            v("v1", VersionStatus.SUPERSEDED, 1, T.minusSeconds(300)),
            v("v2", VersionStatus.SUPERSEDED, 2, T.minusSeconds(100)),
            v("v3", VersionStatus.PROMOTED, 3, null),
            v("v4", VersionStatus.CANDIDATE, 4, null),
            v("v0", VersionStatus.VERIFIED, 5, null),
            v("v5", VersionStatus.UNVERIFIED, 6, null),
            v("v6", VersionStatus.REJECTED, 7, null));
    Map<Long, Decision> d = byImage(RetentionPolicy.decide(versions, List.of(), 1));
    assertThat(d.get(3L).keep()).isTrue();
    assertThat(d.get(4L).keep()).isTrue();
    assertThat(d.get(2L).keep()).as("most recently superseded").isTrue();
    assertThat(d.get(2L).reason()).contains("keep_previous=1");
    assertThat(d.get(1L).keep()).isFalse();
    assertThat(d.get(1L).reason()).isEqualTo("superseded by v3, beyond keep_previous=1");
    assertThat(d.get(5L).keep()).isFalse();
    assertThat(d.get(5L).reason()).contains("not higher than the promoted version v3");
    assertThat(d.get(6L).keep()).isFalse();
    assertThat(d.get(7L).keep()).isFalse();
  }

  @Test
  void ownedSnapshotsNoVersionHoldsGoUnlessTheirBuildRunsOrTheyAreBeingCreated() {
    List<VersionFacts> versions =
        List.of(
            v("v1", VersionStatus.PROMOTED, 1, null),
            new VersionFacts("v2", "b-v2", VersionStatus.BUILDING, null, false, null));
    List<OwnedSnapshot> owned =
        List.of(
            new OwnedSnapshot(1, "b-v1", false),
            new OwnedSnapshot(10, "b-v2", false),
            new OwnedSnapshot(11, "b-gone", false),
            new OwnedSnapshot(12, null, true));
    Map<Long, Decision> d = byImage(RetentionPolicy.decide(versions, owned, 0));
    assertThat(d.get(1L).keep()).isTrue();
    assertThat(d.get(10L).keep()).as("snapshot of a build in progress").isTrue();
    assertThat(d.get(11L).keep()).isFalse();
    assertThat(d.get(11L).reason()).isEqualTo("no version of this installation holds it");
    assertThat(d.get(12L).keep()).isTrue();
  }

  @Test
  void aVerifiedVersionStaysWhenNothingIsPromoted() {
    Map<Long, Decision> d =
        byImage(
            RetentionPolicy.decide(
                List.of(v("v1", VersionStatus.VERIFIED, 1, null)), List.of(), 0));
    assertThat(d.get(1L).keep()).isTrue();
  }

  @Test
  void deletedSnapshotsAreNotDecidedAgain() {
    List<VersionFacts> versions =
        List.of(new VersionFacts("v1", "b", VersionStatus.DELETED, 1L, false, null));
    assertThat(RetentionPolicy.decide(versions, List.of(), 0)).isEmpty();
  }
}
