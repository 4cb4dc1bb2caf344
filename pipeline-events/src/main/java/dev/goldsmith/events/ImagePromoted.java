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
 */
public record ImagePromoted(
    @NotNull UUID buildId,
    @NotBlank @Pattern(regexp = Patterns.FAMILY) String family,
    @NotBlank @Pattern(regexp = Patterns.VERSION) String version,
    @Positive long imageId,
    Long previousImageId,
    @NotNull Instant promotedAt,
    @NotNull Instant occurredAt)
    implements PipelineEvent {}
