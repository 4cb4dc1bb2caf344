package dev.goldsmith.events;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

import com.fasterxml.jackson.annotation.JsonValue;

/**
 * Why a build failed: the taxonomy behind {@link BuildFailed#reasonClass()}. Each value has a
 * stable, greppable wire name (the strings the services wrote before this enum existed), so JSON on
 * the topic does not change. Add a value rather than reusing one that does not fit.
 */
public enum FailureClass {
  /** A Hetzner action (create, shutdown, create_image…) ended in status error. */
  ACTION_FAILED("action_failed"),
  /** A Hetzner action disappeared while it was being waited for. */
  ACTION_VANISHED("action_vanished"),
  /** The Hetzner API refused a request (a non-retryable API error). */
  API_ERROR("api_error"),
  /** The Hetzner API could not be reached after the client's own retries. */
  NETWORK_ERROR("network_error"),
  /** A wait inside a stage (action, server status, shutdown) ran out. */
  TIMEOUT("timeout"),
  /** A stage did not finish before its deadline, even after being re-driven. */
  DEADLINE("deadline"),
  /** A bug or an unexpected state inside a service. */
  INTERNAL_ERROR("internal_error"),
  /** Neither a builder nor a snapshot of the build exists. */
  BUILDER_MISSING("builder_missing"),
  /** The builder disappeared while the build was using it. */
  BUILDER_VANISHED("builder_vanished"),
  /** The snapshot disappeared while it was being created. */
  SNAPSHOT_VANISHED("snapshot_vanished"),
  /** The snapshot ended in a status other than available. */
  SNAPSHOT_UNAVAILABLE("snapshot_unavailable"),
  /** No configurator SSH key is registered, so no builder can be configured. */
  SSH_KEY_MISSING("ssh_key_missing"),
  /** The configuration playbook failed on the builder. */
  PLAYBOOK_FAILED("playbook_failed"),
  /** A server presented a host key other than the one pinned for it. */
  HOST_KEY_MISMATCH("host_key_mismatch"),
  /** No SSH session to the builder could be opened for the configuration playbook. */
  BUILDER_UNREACHABLE("builder_unreachable"),
  /** The configuration playbook did not finish in time. */
  PLAYBOOK_TIMEOUT("playbook_timeout"),
  /** The configurator refused the spec before anything ran on the builder. */
  REFUSED("refused"),
  /** Verification ran to completion and saw a defect in the image (the verdict ARTIFACT_DEFECT). */
  ARTIFACT_DEFECT("artifact_defect"),
  /** The path to a test server failed; nothing is known about the image (CHANNEL_FAILURE). */
  CHANNEL_FAILURE("channel_failure"),
  /** The test infrastructure failed; nothing is known about the image (INFRA_FAILURE). */
  INFRA_FAILURE("infra_failure");

  private final String wireName;

  FailureClass(String wireName) {
    this.wireName = wireName;
  }

  /** The stable name on the wire, e.g. {@code action_failed}. */
  @JsonValue
  public String wireName() {
    return wireName;
  }

  /** The class with this wire name, if any. */
  public static Optional<FailureClass> byWireName(String name) {
    return Arrays.stream(values()).filter(c -> c.wireName.equals(name)).findFirst();
  }

  /**
   * The class with this wire name.
   *
   * @throws IllegalArgumentException naming the known wire names when {@code name} is none of them
   */
  public static FailureClass fromWireName(String name) {
    return byWireName(name)
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    "unknown failure class '"
                        + name
                        + "'; known: "
                        + String.join(
                            ", ", Arrays.stream(values()).map(FailureClass::wireName).toList())));
  }

  /** The failure class a non-passing verdict stands for. */
  public static FailureClass of(Verdict verdict) {
    if (verdict == Verdict.PASSED) {
      throw new IllegalArgumentException("PASSED is not a failure");
    }
    return fromWireName(verdict.name().toLowerCase(Locale.ROOT));
  }

  /** The wire name, so that string concatenation and log formats keep showing it. */
  @Override
  public String toString() {
    return wireName;
  }
}
