package dev.goldsmith.hcloud.model;

import java.util.Locale;

import com.fasterxml.jackson.annotation.JsonEnumDefaultValue;

/** Status of a server as the API reports it; values the client does not know map to UNKNOWN. */
public enum ServerStatus {
  RUNNING,
  INITIALIZING,
  STARTING,
  STOPPING,
  OFF,
  DELETING,
  MIGRATING,
  REBUILDING,
  @JsonEnumDefaultValue
  UNKNOWN;

  /** The value as it appears on the wire, e.g. {@code running}. */
  public String wireValue() {
    return name().toLowerCase(Locale.ROOT);
  }
}
