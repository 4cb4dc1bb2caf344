package dev.goldsmith.support.messaging;

import java.util.Objects;

/**
 * What a handler's failure means for its record.
 *
 * @param kind poison (dead-letter it) or a failure to wait out and retry in place
 * @param dependency what failed, for health and logs: {@code event}, {@code database}, {@code
 *     broker}, {@code cloud}, {@code io}, {@code timeout} or {@code unexpected}
 * @param summary the failure as {@code SimpleClassName: message}, never a stack trace
 */
public record Failure(Kind kind, String dependency, String summary) {

  /** The two ways a record can fail. */
  public enum Kind {
    /** The record can never succeed: it goes to the dead-letter topic with a reason. */
    POISON,
    /** A dependency failed (or something unexpected): wait, retry in place, never dead-letter. */
    RETRY
  }

  public Failure {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(dependency, "dependency");
    Objects.requireNonNull(summary, "summary");
  }

  public boolean poison() {
    return kind == Kind.POISON;
  }
}
