package dev.goldsmith.configurator.ansible;

import java.util.List;
import java.util.Locale;

/**
 * Tells a refused host key apart from an unreachable host in what ssh printed (Ansible passes it on
 * as the unreachable task's message): a key other than the pinned one ({@code REMOTE HOST
 * IDENTIFICATION HAS CHANGED}), no pinned key for the name ssh looked up ({@code No ED25519 host
 * key is known for …}), both ending in {@code Host key verification failed}.
 */
public final class HostKeyFailure {
  private static final List<String> MARKERS =
      List.of(
          "remote host identification has changed",
          "host key verification failed",
          "host key is known for");

  private HostKeyFailure() {}

  /** Whether {@code sshOutput} says the host key was refused. */
  public static boolean isHostKeyRefused(String sshOutput) {
    if (sshOutput == null) {
      return false;
    }
    String s = sshOutput.toLowerCase(Locale.ROOT);
    return MARKERS.stream().anyMatch(s::contains);
  }
}
