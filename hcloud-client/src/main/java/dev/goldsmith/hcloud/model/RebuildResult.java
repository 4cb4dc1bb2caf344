package dev.goldsmith.hcloud.model;

import java.util.Optional;

/** Result of {@code rebuild}. The root password is a secret: {@link #toString()} hides it. */
public record RebuildResult(Action action, Optional<String> rootPassword) {

  public RebuildResult {
    rootPassword = rootPassword == null ? Optional.empty() : rootPassword;
  }

  @Override
  public String toString() {
    return "RebuildResult[action="
        + action
        + ", rootPassword="
        + (rootPassword.isPresent() ? "<redacted>" : "none")
        + "]";
  }
}
