package dev.goldsmith.events;

import java.time.Instant;
import java.util.UUID;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/**
 * CI asks for a build of a family. {@code buildId} is the idempotency key: the same id always gets
 * the same answer.
 *
 * @param overrides optional deviations from the family file; null means none
 * @param requestedBy who asked (a CI job, an operator)
 */
public record BuildRequested(
    @NotNull UUID buildId,
    @NotBlank @Pattern(regexp = Patterns.FAMILY) String family,
    @Valid BuildOverrides overrides,
    @NotBlank @Size(max = 200) String requestedBy,
    @NotNull Instant occurredAt)
    implements PipelineEvent {

  /** Overrides, never null. */
  public BuildOverrides overridesOrEmpty() {
    return overrides == null ? BuildOverrides.NONE : overrides;
  }
}
