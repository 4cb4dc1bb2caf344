package dev.goldsmith.events;

import java.util.Locale;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * Which address family services use to reach a server. IPv4 is the default; IPv6-only is an
 * explicit choice; AUTO tries IPv6 first and falls back to IPv4 (reports say which was used).
 */
public enum NetworkMode {
  IPV4,
  IPV6,
  AUTO;

  @JsonValue
  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  @JsonCreator
  public static NetworkMode fromWire(String value) {
    for (NetworkMode mode : values()) {
      if (mode.wire().equalsIgnoreCase(value)) {
        return mode;
      }
    }
    throw new IllegalArgumentException(
        "network mode must be one of ipv4, ipv6, auto (was '" + value + "')");
  }
}
