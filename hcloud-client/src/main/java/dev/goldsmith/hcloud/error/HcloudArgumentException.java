package dev.goldsmith.hcloud.error;

import java.util.List;

/** A request was rejected by the client before it was sent; lists every problem at once. */
public class HcloudArgumentException extends HcloudException {

  private final List<String> problems;

  public HcloudArgumentException(List<String> problems) {
    super("invalid argument: " + String.join("; ", problems));
    this.problems = List.copyOf(problems);
  }

  /** Every problem found. */
  public List<String> problems() {
    return problems;
  }
}
