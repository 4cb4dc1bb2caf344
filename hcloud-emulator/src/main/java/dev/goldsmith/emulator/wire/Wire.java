package dev.goldsmith.emulator.wire;

import java.util.List;
import java.util.Map;

/**
 * The emulator's own wire shapes of the Hetzner Cloud API. Property names become snake_case through
 * the application's ObjectMapper; every nullable key is written, also when null.
 */
public final class Wire {
  private Wire() {}

  public record ErrorBody(ErrorInfo error) {}

  public record ErrorInfo(String code, String message, Object details) {}

  public record Pagination(
      int page,
      int perPage,
      Integer previousPage,
      Integer nextPage,
      Integer lastPage,
      Integer totalEntries) {}

  public record Meta(Pagination pagination) {}

  public record Protection(boolean delete, boolean rebuild) {}

  public record ImageProtection(boolean delete) {}

  public record Ipv4(long id, String ip, boolean blocked, String dnsPtr) {}

  public record DnsPtr(String ip, String dnsPtr) {}

  public record Ipv6(long id, String ip, boolean blocked, List<DnsPtr> dnsPtr) {}

  public record PublicNet(
      Ipv4 ipv4, Ipv6 ipv6, List<Long> floatingIps, List<Map<String, Object>> firewalls) {}

  public record Server(
      long id,
      String name,
      String status,
      String created,
      PublicNet publicNet,
      List<Object> privateNet,
      ServerType serverType,
      Datacenter datacenter,
      Location location,
      Image image,
      Object iso,
      boolean rescueEnabled,
      boolean locked,
      String backupWindow,
      Long outgoingTraffic,
      Long ingoingTraffic,
      Long includedTraffic,
      Protection protection,
      Map<String, String> labels,
      List<Long> volumes,
      List<Long> loadBalancers,
      int primaryDiskSize,
      Object placementGroup) {}

  public record CreatedFrom(long id, String name) {}

  public record Image(
      long id,
      String type,
      String status,
      String name,
      String description,
      Double imageSize,
      double diskSize,
      String created,
      CreatedFrom createdFrom,
      Long boundTo,
      String osFlavor,
      String osVersion,
      boolean rapidDeploy,
      ImageProtection protection,
      String deprecated,
      String deleted,
      Map<String, String> labels,
      String architecture) {}

  public record ActionResource(long id, String type) {}

  public record ActionError(String code, String message) {}

  public record Action(
      long id,
      String command,
      String status,
      int progress,
      String started,
      String finished,
      List<ActionResource> resources,
      ActionError error) {}

  public record SshKey(
      long id,
      String name,
      String fingerprint,
      String publicKey,
      Map<String, String> labels,
      String created) {}

  public record Price(String net, String gross) {}

  public record LocationPrice(
      String location,
      Price priceHourly,
      Price priceMonthly,
      long includedTraffic,
      Price pricePerTbTraffic) {}

  public record Deprecation(String announced, String unavailableAfter) {}

  public record TypeLocation(
      long id, String name, Deprecation deprecation, boolean available, boolean recommended) {}

  public record ServerType(
      long id,
      String name,
      String description,
      String category,
      int cores,
      double memory,
      int disk,
      boolean deprecated,
      Deprecation deprecation,
      List<LocationPrice> prices,
      String storageType,
      String cpuType,
      String architecture,
      List<TypeLocation> locations,
      long includedTraffic) {}

  public record Location(
      long id,
      String name,
      String description,
      String country,
      String city,
      double latitude,
      double longitude,
      String networkZone) {}

  public record DatacenterServerTypes(
      List<Long> supported, List<Long> available, List<Long> availableForMigration) {}

  public record Datacenter(
      long id,
      String name,
      String description,
      Location location,
      DatacenterServerTypes serverTypes) {}
}
