package dev.goldsmith.hcloud.error;

import java.util.List;

/**
 * Actions the client waited for are no longer returned by the API. The wait fails at once instead
 * of polling until its deadline.
 */
public class ActionVanishedException extends HcloudException {

  private final List<Long> missingActionIds;

  public ActionVanishedException(List<Long> missingActionIds) {
    super("actions " + missingActionIds + " are no longer returned by the API");
    this.missingActionIds = List.copyOf(missingActionIds);
  }

  /** The actions the API no longer returned. */
  public List<Long> missingActionIds() {
    return missingActionIds;
  }
}
