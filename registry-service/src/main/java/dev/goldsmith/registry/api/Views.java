package dev.goldsmith.registry.api;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;

import dev.goldsmith.events.NetworkMode;
import dev.goldsmith.events.VerificationMatrix;
import dev.goldsmith.registry.domain.Build;
import dev.goldsmith.registry.domain.ImageVersion;
import dev.goldsmith.registry.domain.TimelineEvent;

/** What the API returns. */
public final class Views {
  private Views() {}

  /** One page of a listing; {@code page} counts from 0. */
  public record PageView<T>(List<T> items, int page, int size, long totalItems, int totalPages) {}

  /** The image foundation services deploy. */
  public record PromotedImage(
      String family, String version, long imageId, Instant promotedAt, UUID buildId) {
    public static PromotedImage of(ImageVersion v) {
      return new PromotedImage(v.family, v.version, v.imageId, v.promotedAt, v.buildId);
    }
  }

  /** A family in the list. */
  @JsonInclude(JsonInclude.Include.ALWAYS)
  public record FamilySummary(String name, String description, PromotedImage promoted) {}

  /** A family with its file's settings and its versions by status. */
  public record FamilyDetail(
      String name,
      String description,
      String baseImage,
      String serverType,
      String location,
      String playbook,
      NetworkMode networkMode,
      int keepPrevious,
      Map<String, Object> extraVars,
      VerificationMatrix verification,
      PromotedImage promoted,
      Map<String, Long> versionsByStatus) {}

  /**
   * A version of a family.
   *
   * @param status one of {@link dev.goldsmith.registry.domain.VersionStatus}
   * @param statusReason why it stands there (not promoted because…, snapshot deleted because…)
   * @param deletedAt when its snapshot was deleted (null while it exists)
   */
  public record VersionView(
      @Schema(
              enumeration = {
                "BUILDING",
                "CANDIDATE",
                "VERIFIED",
                "PROMOTED",
                "SUPERSEDED",
                "DELETED",
                "UNVERIFIED",
                "REJECTED",
                "REVOKED",
                "FAILED"
              },
              description = "lifecycle state; see the state diagram in the registry README")
          String status,
      String family,
      String version,
      String statusReason,
      Long imageId,
      boolean imageExists,
      UUID buildId,
      Instant createdAt,
      Instant verifiedAt,
      Instant promotedAt,
      Instant supersededAt,
      Instant deletedAt,
      Instant revokedAt,
      String revokedBy,
      String revokeReason) {
    static VersionView of(ImageVersion v) {
      return new VersionView(
          v.status.name(),
          v.family,
          v.version,
          v.statusReason,
          v.imageId,
          v.hasImage(),
          v.buildId,
          v.createdAt,
          v.verifiedAt,
          v.promotedAt,
          v.supersededAt,
          v.imageDeletedAt,
          v.revokedAt,
          v.revokedBy,
          v.revokeReason);
    }
  }

  /** What an operator sends to promote (roll back) or revoke a version. */
  public record ActionRequest(
      @Schema(required = true, maxLength = 500, description = "why; recorded with who asked")
          String reason) {}

  /** A snapshot labelled with the family that this installation does not own: never touched. */
  public record ForeignSnapshot(
      long imageId,
      String description,
      Map<String, String> labels,
      boolean deleteProtected,
      String why) {}

  /**
   * Work the registry gave up on after retries (or at once, for poison): an operator's to look at.
   */
  public record Parked(List<ParkedEvent> outbox, List<ParkedTask> tasks) {}

  /** An outbox row that was not published. */
  public record ParkedEvent(
      long id,
      UUID buildId,
      String eventType,
      String ceId,
      int attempts,
      Instant parkedAt,
      String reason) {}

  /** A cloud task parked as FAILED. */
  public record ParkedTask(
      long id,
      String kind,
      String family,
      String version,
      long imageId,
      int attempts,
      Instant parkedAt,
      String reason) {}

  /** A build in a listing. */
  public record BuildSummary(
      UUID buildId,
      String family,
      String version,
      @Schema(
              enumeration = {
                "REJECTED",
                "ACCEPTED",
                "PROVISIONED",
                "CONFIGURED",
                "SNAPSHOTTED",
                "PROMOTED",
                "VERIFIED",
                "DEFECTIVE",
                "UNVERIFIED",
                "FAILED"
              },
              description =
                  "PROMOTED only while its version is the promoted one; VERIFIED when passed but"
                      + " not (or no longer) promoted: statusReason says why")
          String status,
      String statusReason,
      String requestedBy,
      Long imageId,
      String verdict,
      Instant createdAt,
      Instant updatedAt) {
    static BuildSummary of(Build b) {
      return new BuildSummary(
          b.buildId,
          b.family,
          b.version,
          b.status.name(),
          b.statusReason,
          b.requestedBy,
          b.imageId,
          b.verdict,
          b.createdAt,
          b.updatedAt);
    }
  }

  /** One event of a build's timeline. */
  public record TimelineEntry(
      String eventType,
      String stage,
      String outcome,
      Instant occurredAt,
      Instant recordedAt,
      JsonNode event) {}

  /** A build with its answer, spec, verification report and timeline. */
  public record BuildDetail(
      BuildSummary build,
      String failureStage,
      String failureReason,
      JsonNode spec,
      JsonNode answer,
      JsonNode verificationReport,
      List<TimelineEntry> timeline) {}

  static TimelineEntry entry(TimelineEvent e, JsonNode payload) {
    return new TimelineEntry(e.eventType, e.stage, e.outcome, e.occurredAt, e.recordedAt, payload);
  }
}
