package dev.goldsmith.emulator.state;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import dev.goldsmith.emulator.wire.Wire;

/**
 * The read-only world every project sees: locations, datacenters, server types and system images.
 * Specs follow Hetzner's published ones; prices are approximate net EUR values with 19% VAT.
 */
public final class Catalog {

  /** Traffic included per month with every type: 20 TB. */
  public static final long INCLUDED_TRAFFIC = 21990232555520L;

  private static final List<String> EU = List.of("fsn1", "nbg1", "hel1");
  private static final List<String> ALL = List.of("fsn1", "nbg1", "hel1", "ash", "hil", "sin");

  /** A system image; the same name exists once per architecture. */
  public record SystemImage(
      long id,
      String name,
      String description,
      String osFlavor,
      String osVersion,
      String architecture,
      double diskSize,
      String created,
      String deprecated) {}

  private record TypeSpec(
      long id,
      String name,
      String category,
      int cores,
      double memory,
      int disk,
      String cpuType,
      String architecture,
      String hourlyNet,
      String monthlyNet,
      boolean deprecated,
      List<String> locations) {}

  private final List<Wire.Location> locations =
      List.of(
          new Wire.Location(
              1,
              "fsn1",
              "Falkenstein DC Park 1",
              "DE",
              "Falkenstein",
              50.47612,
              12.370071,
              "eu-central"),
          new Wire.Location(
              2, "nbg1", "Nuremberg 1 DC 3", "DE", "Nuremberg", 49.452102, 11.076665, "eu-central"),
          new Wire.Location(
              3, "hel1", "Helsinki 1 DC 2", "FI", "Helsinki", 60.169855, 24.938379, "eu-central"),
          new Wire.Location(
              4, "ash", "Ashburn, VA", "US", "Ashburn, VA", 39.045821, -77.487073, "us-east"),
          new Wire.Location(
              5, "hil", "Hillsboro, OR", "US", "Hillsboro, OR", 45.54222, -122.95194, "us-west"),
          new Wire.Location(
              6, "sin", "Singapore", "SG", "Singapore", 1.283333, 103.833333, "ap-southeast"));

  private final List<TypeSpec> typeSpecs =
      List.of(
          new TypeSpec(
              104, "cx22", "cost_optimized", 2, 4, 40, "shared", "x86", "0.0060", "3.79", true, EU),
          new TypeSpec(
              116,
              "cx23",
              "cost_optimized",
              2,
              4,
              40,
              "shared",
              "x86",
              "0.0064",
              "3.99",
              false,
              EU),
          new TypeSpec(
              117,
              "cx33",
              "cost_optimized",
              4,
              8,
              80,
              "shared",
              "x86",
              "0.0104",
              "6.49",
              false,
              EU),
          new TypeSpec(
              118,
              "cx43",
              "cost_optimized",
              8,
              16,
              160,
              "shared",
              "x86",
              "0.0192",
              "11.99",
              false,
              EU),
          new TypeSpec(
              119,
              "cx53",
              "cost_optimized",
              16,
              32,
              320,
              "shared",
              "x86",
              "0.0368",
              "22.99",
              false,
              EU),
          new TypeSpec(
              22,
              "cpx11",
              "regular_purpose",
              2,
              2,
              40,
              "shared",
              "x86",
              "0.0084",
              "5.18",
              false,
              ALL),
          new TypeSpec(
              23,
              "cpx21",
              "regular_purpose",
              3,
              4,
              80,
              "shared",
              "x86",
              "0.0141",
              "8.80",
              false,
              ALL),
          new TypeSpec(
              45,
              "cax11",
              "cost_optimized",
              2,
              4,
              40,
              "shared",
              "arm",
              "0.0064",
              "3.99",
              false,
              EU),
          new TypeSpec(
              93,
              "cax21",
              "cost_optimized",
              4,
              8,
              80,
              "shared",
              "arm",
              "0.0112",
              "6.99",
              false,
              EU),
          new TypeSpec(
              96,
              "ccx13",
              "general_purpose",
              2,
              8,
              80,
              "dedicated",
              "x86",
              "0.0224",
              "13.99",
              false,
              ALL));

  private final List<SystemImage> systemImages =
      List.of(
          new SystemImage(
              114690387,
              "debian-12",
              "Debian 12",
              "debian",
              "12",
              "x86",
              5,
              "2023-06-13T06:00:02+00:00",
              null),
          new SystemImage(
              114690389,
              "debian-12",
              "Debian 12",
              "debian",
              "12",
              "arm",
              5,
              "2023-06-13T06:00:03+00:00",
              null),
          new SystemImage(
              161547269,
              "ubuntu-24.04",
              "Ubuntu 24.04",
              "ubuntu",
              "24.04",
              "x86",
              5,
              "2024-04-25T12:00:00+00:00",
              null),
          new SystemImage(
              161547270,
              "ubuntu-24.04",
              "Ubuntu 24.04",
              "ubuntu",
              "24.04",
              "arm",
              5,
              "2024-04-25T12:00:01+00:00",
              null),
          new SystemImage(
              45557056,
              "debian-10",
              "Debian 10",
              "debian",
              "10",
              "x86",
              5,
              "2019-07-08T08:00:00+00:00",
              "2024-07-01T00:00:00+00:00"));

  private final List<Wire.ServerType> serverTypes;
  private final List<Wire.Datacenter> datacenters;

  public Catalog() {
    serverTypes = typeSpecs.stream().map(this::toWire).toList();
    List<Wire.Datacenter> dcs = new ArrayList<>();
    String[][] names = {
      {"fsn1-dc14", "Falkenstein 1 virtual DC 14"},
      {"nbg1-dc3", "Nuremberg 1 virtual DC 3"},
      {"hel1-dc2", "Helsinki 1 virtual DC 2"},
      {"ash-dc1", "Ashburn virtual DC 1"},
      {"hil-dc1", "Hillsboro virtual DC 1"},
      {"sin-dc1", "Singapore virtual DC 1"}
    };
    long[] ids = {4, 2, 3, 5, 6, 7};
    for (int i = 0; i < locations.size(); i++) {
      Wire.Location loc = locations.get(i);
      List<Long> supported =
          typeSpecs.stream().filter(t -> t.locations.contains(loc.name())).map(t -> t.id).toList();
      List<Long> available =
          typeSpecs.stream()
              .filter(t -> t.locations.contains(loc.name()) && !t.deprecated)
              .map(t -> t.id)
              .toList();
      dcs.add(
          new Wire.Datacenter(
              ids[i],
              names[i][0],
              names[i][1],
              loc,
              new Wire.DatacenterServerTypes(supported, available, available)));
    }
    datacenters = List.copyOf(dcs);
  }

  private Wire.ServerType toWire(TypeSpec t) {
    List<Wire.LocationPrice> prices =
        t.locations.stream()
            .map(
                l ->
                    new Wire.LocationPrice(
                        l,
                        price(t.hourlyNet),
                        price(t.monthlyNet),
                        INCLUDED_TRAFFIC,
                        price("1.00")))
            .toList();
    Wire.Deprecation deprecation =
        t.deprecated
            ? new Wire.Deprecation("2025-10-16T06:00:00+00:00", "2026-01-01T00:00:00+00:00")
            : null;
    List<Wire.TypeLocation> typeLocations =
        t.locations.stream()
            .map(
                l ->
                    new Wire.TypeLocation(
                        location(l).orElseThrow().id(),
                        l,
                        deprecation,
                        !t.deprecated,
                        !t.deprecated))
            .toList();
    return new Wire.ServerType(
        t.id,
        t.name,
        t.name.toUpperCase(java.util.Locale.ROOT),
        t.category,
        t.cores,
        t.memory,
        t.disk,
        t.deprecated,
        deprecation,
        prices,
        "local",
        t.cpuType,
        t.architecture,
        typeLocations,
        INCLUDED_TRAFFIC);
  }

  private static Wire.Price price(String net) {
    BigDecimal n = new BigDecimal(net).setScale(10, RoundingMode.HALF_UP);
    BigDecimal g = n.multiply(new BigDecimal("1.19")).setScale(16, RoundingMode.HALF_UP);
    return new Wire.Price(n.toPlainString(), g.toPlainString());
  }

  public List<Wire.Location> locations() {
    return locations;
  }

  public List<Wire.Datacenter> datacenters() {
    return datacenters;
  }

  public List<Wire.ServerType> serverTypes() {
    return serverTypes;
  }

  public List<SystemImage> systemImages() {
    return systemImages;
  }

  public Optional<Wire.Location> location(String idOrName) {
    return locations.stream().filter(l -> matches(l.id(), l.name(), idOrName)).findFirst();
  }

  public Optional<Wire.Datacenter> datacenter(String idOrName) {
    return datacenters.stream().filter(d -> matches(d.id(), d.name(), idOrName)).findFirst();
  }

  /** The datacenter of a location (one per location here). */
  public Wire.Datacenter datacenterOf(String locationName) {
    return datacenters.stream()
        .filter(d -> d.location().name().equals(locationName))
        .findFirst()
        .orElseThrow();
  }

  public Optional<Wire.ServerType> serverType(String idOrName) {
    return serverTypes.stream().filter(t -> matches(t.id(), t.name(), idOrName)).findFirst();
  }

  public boolean typeOfferedIn(Wire.ServerType type, String location) {
    return type.locations().stream().anyMatch(l -> l.name().equals(location));
  }

  public Optional<SystemImage> systemImage(long id) {
    return systemImages.stream().filter(i -> i.id() == id).findFirst();
  }

  private static boolean matches(long id, String name, String idOrName) {
    return name.equals(idOrName) || Long.toString(id).equals(idOrName);
  }
}
