package dev.goldsmith.events;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * A build stopped. {@code resources} names what may still exist and need cleanup; the janitor reaps
 * them.
 *
 * @param reasonClass why, from the {@link FailureClass} taxonomy; on the wire its stable name (e.g.
 *     {@code action_failed}, {@code playbook_failed}, {@code channel_failure})
 */
public record BuildFailed(
    @NotNull UUID buildId,
    String family,
    String version,
    @NotNull Stage stage,
    @NotNull FailureClass reasonClass,
    @NotNull String message,
    @NotNull List<@Valid @NotNull ResourceRef> resources,
    @NotNull Instant occurredAt)
    implements PipelineEvent {

  /**
   * As the canonical constructor, the reason class given by its wire name (what callers passed
   * before {@link FailureClass} existed).
   *
   * @throws IllegalArgumentException when {@code reasonClass} is not a known wire name
   */
  public BuildFailed(
      UUID buildId,
      String family,
      String version,
      Stage stage,
      String reasonClass,
      String message,
      List<ResourceRef> resources,
      Instant occurredAt) {
    this(
        buildId,
        family,
        version,
        stage,
        FailureClass.fromWireName(reasonClass),
        message,
        resources,
        occurredAt);
  }

  /** Where the build stopped. */
  public enum Stage {
    @JsonProperty("intake")
    INTAKE,
    @JsonProperty("provision")
    PROVISION,
    @JsonProperty("configure")
    CONFIGURE,
    @JsonProperty("snapshot")
    SNAPSHOT,
    @JsonProperty("verify")
    VERIFY,
    @JsonProperty("promote")
    PROMOTE
  }

  /** A cloud resource by kind and id. */
  public record ResourceRef(@NotNull Kind kind, long id) {
    /** Kinds of cloud resources a build creates. */
    public enum Kind {
      @JsonProperty("server")
      SERVER,
      @JsonProperty("image")
      IMAGE,
      @JsonProperty("ssh_key")
      SSH_KEY
    }
  }
}
