package dev.goldsmith.events;

import java.time.Instant;
import java.util.UUID;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.PositiveOrZero;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The playbook ran on the builder.
 *
 * @param failedTask the failing task's name when the outcome is FAILED
 * @param message the failure's message when FAILED
 * @param changed number of changed tasks
 * @param logRef where the configurator keeps the full log
 */
public record BuilderConfigured(
    @NotNull UUID buildId,
    @NotNull @Valid BuildSpec spec,
    long serverId,
    @NotNull Outcome outcome,
    String failedTask,
    String message,
    @PositiveOrZero int changed,
    String logRef,
    @NotNull Instant occurredAt)
    implements PipelineEvent {

  /** How the playbook run ended. */
  public enum Outcome {
    @JsonProperty("ok")
    OK,
    @JsonProperty("failed")
    FAILED
  }
}
