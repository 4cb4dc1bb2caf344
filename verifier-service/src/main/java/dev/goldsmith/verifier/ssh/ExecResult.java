package dev.goldsmith.verifier.ssh;

/**
 * What one remote command did.
 *
 * @param exitCode the exit status, null when none was received (killed, timed out)
 * @param stdout standard output (truncated to a bound)
 * @param stderr standard error (truncated to a bound)
 * @param durationMs wall time measured by the verifier around the command
 * @param timedOut true when the verifier gave up waiting
 */
public record ExecResult(
    Integer exitCode, String stdout, String stderr, long durationMs, boolean timedOut) {

  public boolean ok() {
    return !timedOut && exitCode != null && exitCode == 0;
  }

  /** The value of the first {@code KEY=value} marker line on stdout, or null. */
  public String marker(String key) {
    String prefix = key + "=";
    for (String line : stdout.split("\n", -1)) {
      if (line.startsWith(prefix)) {
        return line.substring(prefix.length()).stripTrailing();
      }
    }
    return null;
  }
}
