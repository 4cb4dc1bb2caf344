package dev.goldsmith.verifier.verification;

import java.util.UUID;

import dev.goldsmith.events.NetworkMode;
import dev.goldsmith.events.VerificationMatrix;

/**
 * One image to verify.
 *
 * @param buildId labels the test servers (for cleanup and the janitor)
 * @param serverName base name of the test servers; attempt n > 1 appends {@code -n}
 * @param installationId the build's installation (from its spec): test servers carry it as {@code
 *     goldsmith.dev/installation}; null for specs without one
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
    String serverName,
    String installationId) {

  /** A request without an installation id. */
  public VerificationRequest(
      UUID buildId,
      String family,
      String version,
      long imageId,
      String serverType,
      String location,
      VerificationMatrix matrix,
      NetworkMode networkMode,
      String serverName) {
    this(
        buildId,
        family,
        version,
        imageId,
        serverType,
        location,
        matrix,
        networkMode,
        serverName,
        null);
  }
}
