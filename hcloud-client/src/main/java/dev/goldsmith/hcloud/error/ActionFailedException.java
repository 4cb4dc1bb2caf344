package dev.goldsmith.hcloud.error;

import dev.goldsmith.hcloud.model.Action;

/** An action the client waited for ended in {@code error}; carries the action and its error. */
public class ActionFailedException extends HcloudException {

  private final Action action;

  public ActionFailedException(Action action) {
    super(
        "action "
            + action.id()
            + " ("
            + action.command()
            + ") failed: "
            + (action.error() == null
                ? "no error given"
                : action.error().message() + " (" + action.error().code() + ")"));
    this.action = action;
  }

  /** The failed action as last read. */
  public Action action() {
    return action;
  }

  /** The action's error code, e.g. {@code action_failed}; null if the API sent none. */
  public String errorCode() {
    return action.error() == null ? null : action.error().code();
  }

  /** The action's error message; null if the API sent none. */
  public String errorMessage() {
    return action.error() == null ? null : action.error().message();
  }
}
