package dev.goldsmith.hcloud.model;

import java.time.OffsetDateTime;
import java.util.List;

/**
 * A server type such as {@code cx22}.
 *
 * @param memory GB, may be fractional
 * @param deprecated nullable
 * @param deprecation nullable
 */
public record ServerType(
    long id,
    String name,
    String description,
    String category,
    int cores,
    double memory,
    double disk,
    Boolean deprecated,
    Deprecation deprecation,
    List<Pricing> prices,
    String storageType,
    String cpuType,
    Architecture architecture,
    List<TypeLocation> locations) {

  public ServerType {
    prices = prices == null ? List.of() : List.copyOf(prices);
    locations = locations == null ? List.of() : List.copyOf(locations);
  }

  /** Announced deprecation of a server type (globally or per location). */
  public record Deprecation(OffsetDateTime announced, OffsetDateTime unavailableAfter) {}

  /**
   * Price of a server type in one location.
   *
   * @param includedTraffic bytes; may exceed 2^31
   */
  public record Pricing(
      String location,
      Price priceHourly,
      Price priceMonthly,
      Long includedTraffic,
      Price pricePerTbTraffic) {}

  /** Availability of a server type in one location. */
  public record TypeLocation(
      long id, String name, Deprecation deprecation, Boolean available, Boolean recommended) {}
}
