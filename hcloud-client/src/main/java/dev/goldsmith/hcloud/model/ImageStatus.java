package dev.goldsmith.hcloud.model;

import java.util.Locale;

import com.fasterxml.jackson.annotation.JsonEnumDefaultValue;

/** Status of an image: a snapshot is {@code creating} until its action succeeds. */
public enum ImageStatus {
  AVAILABLE,
  CREATING,
  UNAVAILABLE,
  @JsonEnumDefaultValue
  UNKNOWN;

  /** The value as it appears on the wire, e.g. {@code available}. */
  public String wireValue() {
    return name().toLowerCase(Locale.ROOT);
  }
}
