package dev.goldsmith.events;

import java.time.Instant;
import java.util.UUID;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;

/**
 * The builder's disk is now a snapshot image (a candidate) and the builder is gone.
 *
 * @param imageSizeGb the image's size as the API reports it, null when unknown
 * @param provenance the configure provenance of BuilderConfigured plus the source image; null in
 *     events written before provenance existed
 */
public record SnapshotCreated(
    @NotNull UUID buildId,
    @NotNull @Valid BuildSpec spec,
    @Positive long imageId,
    Double imageSizeGb,
    @Valid Provenance provenance,
    @NotNull Instant occurredAt)
    implements PipelineEvent {

  /** An event without provenance. */
  public SnapshotCreated(
      UUID buildId, BuildSpec spec, long imageId, Double imageSizeGb, Instant occurredAt) {
    this(buildId, spec, imageId, imageSizeGb, null, occurredAt);
  }
}
