package dev.goldsmith.provisioner.janitor;

import java.time.Duration;
import java.util.Optional;

/**
 * The janitor's decision table for one managed resource, from durable state:
 *
 * <table>
 *   <caption>reap or keep</caption>
 *   <tr><th>build</th><th>age ≤ TTL</th><th>age &gt; TTL</th></tr>
 *   <tr><td>known terminal here (accelerator) or by the registry</td><td>reap</td><td>reap</td></tr>
 *   <tr><td>active in the registry</td><td>keep</td><td>keep</td></tr>
 *   <tr><td>unknown to the registry (404)</td><td>keep</td><td>reap</td></tr>
 *   <tr><td>registry unavailable</td><td>keep</td><td>keep</td></tr>
 *   <tr><td>no build id label</td><td>keep</td><td>reap</td></tr>
 * </table>
 *
 * <p>The in-memory terminal set only speeds things up (a terminal build stays terminal); it is
 * never the reason to keep or to reap by age.
 */
public final class ReapDecision {
  private ReapDecision() {}

  /** What happens to a resource. */
  public enum Verdict {
    KEEP,
    REAP_TERMINAL,
    REAP_TTL
  }

  /**
   * @param hasBuildId whether the resource carries a build id label
   * @param knownTerminal whether this process saw the build's terminal event
   * @param registry what the registry says (ignored without a build id or when known terminal)
   * @param age the resource's age, empty when unknown
   * @param ttl its role's TTL, empty when the role has none
   */
  public static Verdict decide(
      boolean hasBuildId,
      boolean knownTerminal,
      BuildKnowledge registry,
      Optional<Duration> age,
      Optional<Duration> ttl) {
    if (hasBuildId) {
      if (knownTerminal || registry == BuildKnowledge.TERMINAL) {
        return Verdict.REAP_TERMINAL;
      }
      if (registry != BuildKnowledge.UNKNOWN) {
        return Verdict.KEEP;
      }
    }
    boolean expired = age.isPresent() && ttl.isPresent() && age.get().compareTo(ttl.get()) > 0;
    return expired ? Verdict.REAP_TTL : Verdict.KEEP;
  }
}
