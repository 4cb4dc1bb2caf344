package dev.goldsmith.events;

import java.time.Instant;
import java.util.UUID;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.PositiveOrZero;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The playbook ran on the builder.
 *
 * @param failedTask the failing task's name when the outcome is FAILED
 * @param message the failure's message when FAILED
 * @param reasonClass when FAILED, why: {@code playbook_failed} (a task failed or the run ended
 *     otherwise), {@code builder_unreachable} (no SSH session), {@code host_key_mismatch} (the
 *     builder presented a host key other than the pinned one), {@code playbook_timeout}, {@code
 *     refused} (the spec was refused before anything ran); null when OK
 * @param changed number of changed tasks
 * @param logRef where the configurator keeps the full log
 * @param provenance the ansible/ revision and the digests of the roles and variables the playbook
 *     ran with; null when nothing ran (refused) or in events written before provenance existed
 */
public record BuilderConfigured(
    @NotNull UUID buildId,
    @NotNull @Valid BuildSpec spec,
    long serverId,
    @NotNull Outcome outcome,
    String failedTask,
    String message,
    @Pattern(regexp = Patterns.REASON_CLASS) String reasonClass,
    @PositiveOrZero int changed,
    String logRef,
    @Valid Provenance provenance,
    @NotNull Instant occurredAt)
    implements PipelineEvent {

  /** An event without provenance (stages and tests that have none). */
  public BuilderConfigured(
      UUID buildId,
      BuildSpec spec,
      long serverId,
      Outcome outcome,
      String failedTask,
      String message,
      String reasonClass,
      int changed,
      String logRef,
      Instant occurredAt) {
    this(
        buildId,
        spec,
        serverId,
        outcome,
        failedTask,
        message,
        reasonClass,
        changed,
        logRef,
        null,
        occurredAt);
  }

  /** {@link #reasonClass()} of a task that failed, or a run that ended otherwise. */
  public static final String PLAYBOOK_FAILED = "playbook_failed";

  /** {@link #reasonClass()} when no SSH session to the builder could be opened. */
  public static final String BUILDER_UNREACHABLE = "builder_unreachable";

  /** {@link #reasonClass()} when the builder presented a host key other than the pinned one. */
  public static final String HOST_KEY_MISMATCH = "host_key_mismatch";

  /** {@link #reasonClass()} when the playbook did not finish in time. */
  public static final String PLAYBOOK_TIMEOUT = "playbook_timeout";

  /** {@link #reasonClass()} when the spec was refused before anything ran. */
  public static final String REFUSED = "refused";

  /** How the playbook run ended. */
  public enum Outcome {
    @JsonProperty("ok")
    OK,
    @JsonProperty("failed")
    FAILED
  }
}
