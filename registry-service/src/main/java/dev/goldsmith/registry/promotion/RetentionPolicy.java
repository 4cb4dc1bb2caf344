package dev.goldsmith.registry.promotion;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import dev.goldsmith.registry.domain.VersionStatus;

/**
 * Which snapshots of a family stay and which go, with a reason for each. Pure: it takes the
 * family's versions and the snapshots this installation owns (already selected by {@code
 * managed=true} and the installation id; foreign snapshots never reach it) and returns decisions.
 *
 * <p>Kept: the promoted version's snapshot; snapshots of builds in progress (and snapshots still
 * being created); the {@code keepPrevious} most recently superseded versions. Deleted: every other
 * superseded version, verified versions that were never promoted (not higher when their verdict
 * came), unverified, rejected, revoked and failed versions, and owned snapshots no version holds.
 */
public final class RetentionPolicy {
  private RetentionPolicy() {}

  /** What the policy knows of a version. */
  public record VersionFacts(
      String version,
      String buildId,
      VersionStatus status,
      Long imageId,
      boolean imageExists,
      java.time.Instant supersededAt) {}

  /** A snapshot of this installation found on the cloud. */
  public record OwnedSnapshot(long imageId, String buildIdLabel, boolean creating) {}

  /** One decision. {@code version} is null for a snapshot no version holds. */
  public record Decision(long imageId, String version, boolean keep, String reason) {}

  /** Decisions for every snapshot of the family's versions and every owned snapshot. */
  public static List<Decision> decide(
      List<VersionFacts> versions, List<OwnedSnapshot> snapshots, int keepPrevious) {
    Map<Long, Decision> out = new LinkedHashMap<>();
    Optional<VersionFacts> promoted =
        versions.stream().filter(v -> v.status() == VersionStatus.PROMOTED).findFirst();
    String promotedName = promoted.map(VersionFacts::version).orElse(null);
    Set<String> runningBuilds = new HashSet<>();
    for (VersionFacts v : versions) {
      if (v.status().inProgress()) {
        runningBuilds.add(v.buildId());
      }
    }
    List<VersionFacts> superseded = new ArrayList<>();
    for (VersionFacts v : versions) {
      if (v.imageId() == null || !v.imageExists()) {
        continue;
      }
      switch (v.status()) {
        case PROMOTED -> keep(out, v, "the promoted version");
        case BUILDING, CANDIDATE -> keep(out, v, "build in progress");
        case SUPERSEDED -> superseded.add(v);
        case VERIFIED ->
            decide(
                out,
                v,
                promotedName == null,
                promotedName == null
                    ? "verified; no version is promoted"
                    : "verified but not higher than the promoted version " + promotedName);
        case UNVERIFIED ->
            delete(out, v, "unverified (no verdict on the image); superseded by the next cleanup");
        case REJECTED -> delete(out, v, "artifact defect");
        case REVOKED -> delete(out, v, "revoked");
        case FAILED, DELETED -> delete(out, v, "the build failed or the version is gone");
      }
    }
    superseded.sort(
        Comparator.comparing(
                VersionFacts::supersededAt,
                Comparator.nullsLast(Comparator.<java.time.Instant>naturalOrder()))
            .reversed());
    for (int i = 0; i < superseded.size(); i++) {
      VersionFacts v = superseded.get(i);
      if (i < keepPrevious) {
        keep(out, v, "kept for rollback (keep_previous=" + keepPrevious + ")");
      } else {
        delete(
            out,
            v,
            "superseded"
                + (promotedName == null ? "" : " by " + promotedName)
                + ", beyond keep_previous="
                + keepPrevious);
      }
    }
    for (OwnedSnapshot s : snapshots) {
      if (out.containsKey(s.imageId())) {
        continue;
      }
      if (s.creating()) {
        out.put(s.imageId(), new Decision(s.imageId(), null, true, "still being created"));
      } else if (s.buildIdLabel() != null && runningBuilds.contains(s.buildIdLabel())) {
        out.put(s.imageId(), new Decision(s.imageId(), null, true, "build in progress"));
      } else {
        out.put(
            s.imageId(),
            new Decision(s.imageId(), null, false, "no version of this installation holds it"));
      }
    }
    return List.copyOf(out.values());
  }

  private static void decide(Map<Long, Decision> out, VersionFacts v, boolean keep, String why) {
    out.put(v.imageId(), new Decision(v.imageId(), v.version(), keep, why));
  }

  private static void keep(Map<Long, Decision> out, VersionFacts v, String why) {
    decide(out, v, true, why);
  }

  private static void delete(Map<Long, Decision> out, VersionFacts v, String why) {
    decide(out, v, false, why);
  }
}
