package dev.goldsmith.verifier.verification;

import java.time.Duration;

import dev.goldsmith.events.Verdict;
import dev.goldsmith.events.VerificationReport;

/**
 * The final verdict after all attempts.
 *
 * @param addressFamily {@code ipv4}/{@code ipv6} of the last attempt that had a channel, else null
 * @param attempts fresh servers used
 */
public record VerificationOutcome(
    Verdict verdict,
    String addressFamily,
    VerificationReport report,
    int attempts,
    Duration duration) {}
