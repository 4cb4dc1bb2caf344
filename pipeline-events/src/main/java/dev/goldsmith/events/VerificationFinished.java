package dev.goldsmith.events;

import java.time.Instant;
import java.util.UUID;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;

/**
 * The verifier booted fresh instances of the image and reached a verdict.
 *
 * @param addressFamily the family the checks ran over ({@code ipv4} or {@code ipv6}), null when no
 *     channel was established
 * @param attempts how many fresh servers were used
 */
public record VerificationFinished(
    @NotNull UUID buildId,
    @NotNull @Valid BuildSpec spec,
    @Positive long imageId,
    @NotNull Verdict verdict,
    String addressFamily,
    @NotNull @Valid VerificationReport report,
    @Positive int attempts,
    @NotNull Instant occurredAt)
    implements PipelineEvent {}
