package dev.goldsmith.registry.api;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

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
    static PromotedImage of(ImageVersion v) {
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

  /** A version of a family. */
  public record VersionView(
      String family,
      String version,
      String status,
      Long imageId,
      boolean imageExists,
      UUID buildId,
      Instant createdAt,
      Instant verifiedAt,
      Instant promotedAt,
      Instant supersededAt,
      Instant revokedAt) {
    static VersionView of(ImageVersion v) {
      return new VersionView(
          v.family,
          v.version,
          v.status.name(),
          v.imageId,
          v.hasImage(),
          v.buildId,
          v.createdAt,
          v.verifiedAt,
          v.promotedAt,
          v.supersededAt,
          v.revokedAt);
    }
  }

  /** A build in a listing. */
  public record BuildSummary(
      UUID buildId,
      String family,
      String version,
      String status,
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
