package dev.goldsmith.hcloud.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Result of {@code POST /servers}. The root password is a secret: {@link #toString()} hides it.
 *
 * @param rootPassword present only when no SSH key was given
 */
public record CreateServerResult(
    Server server, Action action, List<Action> nextActions, Optional<String> rootPassword) {

  public CreateServerResult {
    nextActions = nextActions == null ? List.of() : List.copyOf(nextActions);
    rootPassword = rootPassword == null ? Optional.empty() : rootPassword;
  }

  /** The create action followed by every next action, the set to wait for. */
  public List<Action> allActions() {
    List<Action> all = new ArrayList<>();
    all.add(action);
    all.addAll(nextActions);
    return all;
  }

  @Override
  public String toString() {
    return "CreateServerResult[server="
        + server
        + ", action="
        + action
        + ", nextActions="
        + nextActions
        + ", rootPassword="
        + (rootPassword.isPresent() ? "<redacted>" : "none")
        + "]";
  }
}
