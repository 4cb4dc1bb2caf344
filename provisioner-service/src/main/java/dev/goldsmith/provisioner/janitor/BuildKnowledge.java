package dev.goldsmith.provisioner.janitor;

import java.util.Locale;
import java.util.Set;

/** What the registry (the durable record of every build) says of one build id. */
public enum BuildKnowledge {
  /** The registry has the build in a non-terminal status: its resources are in use. */
  ACTIVE,
  /** The build ended (failed, rejected, promoted, verified, defective, unverified). */
  TERMINAL,
  /** The registry does not know the build (404): an orphan once it is older than its TTL. */
  UNKNOWN,
  /** The registry could not be asked (unreachable, 5xx, an answer that does not parse). */
  UNAVAILABLE;

  /** The registry's terminal statuses ({@code BuildStatus} minus the in-progress ones). */
  static final Set<String> TERMINAL_STATUSES =
      Set.of("REJECTED", "PROMOTED", "VERIFIED", "DEFECTIVE", "UNVERIFIED", "FAILED");

  /** The registry's in-progress statuses. */
  static final Set<String> ACTIVE_STATUSES =
      Set.of("ACCEPTED", "PROVISIONED", "CONFIGURED", "SNAPSHOTTED");

  /**
   * The knowledge a registry status gives. A status this provisioner does not know (a newer
   * registry) counts as active: the janitor never reaps on a guess.
   */
  public static BuildKnowledge ofStatus(String status) {
    if (status == null) {
      return UNAVAILABLE;
    }
    String s = status.trim().toUpperCase(Locale.ROOT);
    return TERMINAL_STATUSES.contains(s) ? TERMINAL : ACTIVE;
  }
}
