package dev.goldsmith.emulator.state;

import java.util.Arrays;
import java.util.Optional;

import com.fasterxml.jackson.annotation.JsonValue;

/** The {@code status} of a server, as the Hetzner API names it. */
public enum ServerStatus {
  INITIALIZING,
  STARTING,
  RUNNING,
  STOPPING,
  OFF,
  DELETING,
  MIGRATING,
  REBUILDING,
  UNKNOWN;

  /** The name on the API and in the state file, e.g. {@code running}. */
  @JsonValue
  public String wire() {
    return name().toLowerCase();
  }

  public static Optional<ServerStatus> fromWire(String value) {
    return Arrays.stream(values()).filter(s -> s.wire().equals(value)).findFirst();
  }

  /** Whether the server stays in this status without a running action (the API's rest states). */
  public boolean isAtRest() {
    return this == RUNNING || this == OFF;
  }
}
