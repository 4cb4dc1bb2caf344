package dev.goldsmith.hcloud.model;

import java.util.Locale;

import com.fasterxml.jackson.annotation.JsonEnumDefaultValue;

/** Status of an action: running until it ends in success or error. */
public enum ActionStatus {
  RUNNING,
  SUCCESS,
  ERROR,
  @JsonEnumDefaultValue
  UNKNOWN;

  /** The value as it appears on the wire, e.g. {@code success}. */
  public String wireValue() {
    return name().toLowerCase(Locale.ROOT);
  }
}
