package dev.goldsmith.events;

import java.time.Instant;
import java.util.UUID;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;

/**
 * A version became the family's promoted image: foundation services deploy {@code imageId}.
 *
 * @param previousImageId the image promoted before, null for the family's first promotion
 * @param actor who promoted: {@code registry} for an automatic promotion, else the operator's token
 *     identity (a rollback or manual promotion)
 * @param reason why: {@code verified} for an automatic promotion, else the operator's reason
 */
public record ImagePromoted(
    @NotNull UUID buildId,
    @NotBlank @Pattern(regexp = Patterns.FAMILY) String family,
    @NotBlank @Pattern(regexp = Patterns.VERSION) String version,
    @Positive long imageId,
    Long previousImageId,
    @NotNull Instant promotedAt,
    @NotNull Instant occurredAt,
    String actor,
    String reason)
    implements PipelineEvent {

  /** Actor of automatic promotions. */
  public static final String AUTOMATIC_ACTOR = "registry";

  /** An automatic promotion (no operator involved). */
  public ImagePromoted(
      UUID buildId,
      String family,
      String version,
      long imageId,
      Long previousImageId,
      Instant promotedAt,
      Instant occurredAt) {
    this(
        buildId,
        family,
        version,
        imageId,
        previousImageId,
        promotedAt,
        occurredAt,
        AUTOMATIC_ACTOR,
        "verified");
  }
}
