package dev.goldsmith.hcloud.error;

import java.time.Duration;
import java.util.List;

/** The deadline of a wait passed while actions were still running. */
public class ActionWaitTimeoutException extends HcloudException {

  private final List<Long> pendingActionIds;
  private final Duration timeout;

  public ActionWaitTimeoutException(List<Long> pendingActionIds, Duration timeout) {
    super("actions " + pendingActionIds + " still running after " + timeout);
    this.pendingActionIds = List.copyOf(pendingActionIds);
    this.timeout = timeout;
  }

  /** Actions that had not finished. */
  public List<Long> pendingActionIds() {
    return pendingActionIds;
  }

  /** The deadline the wait had. */
  public Duration timeout() {
    return timeout;
  }
}
