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
 * @param provenance the snapshot's provenance plus the digest of {@code report} ({@link
 *     Digests#sha256OfJson}); null in events written before provenance existed
 */
public record VerificationFinished(
    @NotNull UUID buildId,
    @NotNull @Valid BuildSpec spec,
    @Positive long imageId,
    @NotNull Verdict verdict,
    String addressFamily,
    @NotNull @Valid VerificationReport report,
    @Positive int attempts,
    @Valid Provenance provenance,
    @NotNull Instant occurredAt)
    implements PipelineEvent {

  /** An event without provenance. */
  public VerificationFinished(
      UUID buildId,
      BuildSpec spec,
      long imageId,
      Verdict verdict,
      String addressFamily,
      VerificationReport report,
      int attempts,
      Instant occurredAt) {
    this(buildId, spec, imageId, verdict, addressFamily, report, attempts, null, occurredAt);
  }
}
