package dev.goldsmith.hcloud.model;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A server.
 *
 * @param datacenter deprecated by Hetzner; may be null
 * @param location may be null on very old API versions; see {@link #locationName()}
 * @param image null when the image was deleted
 * @param backupWindow e.g. {@code 22-02}, nullable
 * @param outgoingTraffic bytes, nullable; may exceed 2^31
 * @param ingoingTraffic bytes, nullable
 * @param includedTraffic bytes, nullable
 */
public record Server(
    long id,
    String name,
    ServerStatus status,
    OffsetDateTime created,
    PublicNet publicNet,
    List<PrivateNet> privateNet,
    ServerType serverType,
    Datacenter datacenter,
    Location location,
    Image image,
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
    Integer primaryDiskSize) {

  public Server {
    privateNet = privateNet == null ? List.of() : List.copyOf(privateNet);
    labels = labels == null ? Map.of() : Map.copyOf(labels);
    volumes = volumes == null ? List.of() : List.copyOf(volumes);
    loadBalancers = loadBalancers == null ? List.of() : List.copyOf(loadBalancers);
  }

  /** The location name ({@code fsn1}), from {@code location} or else from the datacenter. */
  public Optional<String> locationName() {
    if (location != null) {
      return Optional.ofNullable(location.name());
    }
    return Optional.ofNullable(datacenter).map(Datacenter::location).map(Location::name);
  }

  /** The public IPv4 address, if any. */
  public Optional<String> ipv4Address() {
    return publicNet == null ? Optional.empty() : publicNet.ipv4Address();
  }

  /** The {@code ::1} host address of the server's IPv6 /64, if any. */
  public Optional<String> ipv6HostAddress() {
    return publicNet == null ? Optional.empty() : publicNet.ipv6HostAddress();
  }
}
