package dev.goldsmith.hcloud.model;

import java.time.OffsetDateTime;
import java.util.List;

/**
 * An asynchronous operation on one or more resources. It stays {@link ActionStatus#RUNNING} until
 * it ends in {@link ActionStatus#SUCCESS} or {@link ActionStatus#ERROR}.
 *
 * @param finished null while running
 * @param error null unless the action ended in error
 */
public record Action(
    long id,
    String command,
    ActionStatus status,
    int progress,
    OffsetDateTime started,
    OffsetDateTime finished,
    List<Resource> resources,
    Error error) {

  public Action {
    resources = resources == null ? List.of() : List.copyOf(resources);
  }

  /** A resource an action works on, for example {@code {id: 42, type: "server"}}. */
  public record Resource(long id, String type) {}

  /** Why an action failed, for example {@code action_failed} / "Action failed". */
  public record Error(String code, String message) {}

  /** True once the action has ended, in success or in error. */
  public boolean isDone() {
    return status == ActionStatus.SUCCESS || status == ActionStatus.ERROR;
  }
}
