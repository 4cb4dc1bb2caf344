package dev.goldsmith.hcloud.model;

import java.util.Locale;

import com.fasterxml.jackson.annotation.JsonEnumDefaultValue;

/** CPU architecture of a server type or image. */
public enum Architecture {
  X86,
  ARM,
  @JsonEnumDefaultValue
  UNKNOWN;

  /** The value as it appears on the wire, e.g. {@code x86}. */
  public String wireValue() {
    return name().toLowerCase(Locale.ROOT);
  }
}
