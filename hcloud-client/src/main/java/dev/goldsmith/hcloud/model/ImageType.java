package dev.goldsmith.hcloud.model;

import java.util.Locale;

import com.fasterxml.jackson.annotation.JsonEnumDefaultValue;

/** Kind of an image. */
public enum ImageType {
  SYSTEM,
  APP,
  SNAPSHOT,
  BACKUP,
  TEMPORARY,
  @JsonEnumDefaultValue
  UNKNOWN;

  /** The value as it appears on the wire, e.g. {@code snapshot}. */
  public String wireValue() {
    return name().toLowerCase(Locale.ROOT);
  }
}
