package dev.goldsmith.verifier.verification;

import java.util.UUID;

import dev.goldsmith.events.NetworkMode;
import dev.goldsmith.events.VerificationMatrix;

/**
 * One image to verify.
 *
 * @param buildId labels the test servers (for cleanup and the janitor)
 * @param serverName base name of the test servers; attempt n > 1 appends {@code -n}
 */
public record VerificationRequest(
    UUID buildId,
    String family,
    String version,
    long imageId,
    String serverType,
    String location,
    VerificationMatrix matrix,
    NetworkMode networkMode,
    String serverName) {}
