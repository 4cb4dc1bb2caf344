package dev.goldsmith.emulator.hosts;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Configuration of the hosts backend. The emulator maps {@code emulator.hosts.<key>} onto {@link
 * #fromProperties}; every key has a default. {@code instance} (0..7) derives every name and range
 * that must not collide between emulators running at the same time; the base-image cache is shared.
 *
 * @param instance 0..7; derives bridge, ranges, ports, name prefix and state dir
 * @param stateDir per-instance state: servers, layers, apt-cacher-ng, metadata
 * @param imageCacheDir shared cache of base-image tarballs (built under an exclusive file lock)
 * @param bridge host bridge name
 * @param namePrefix prefix of netns, host veths, overlay sources and nspawn machine names
 * @param ipv4Prefix first three octets of the instance's IPv4 /24 (bridge .1, servers .2…)
 * @param ipv6Prefix first three hextets of the instance's IPv6 /48 (bridge net {@code ::/64},
 *     server {@code i} gets {@code <prefix>:<i>::/64} and answers on {@code ::1} of it)
 * @param aptCacherPort port of this instance's apt-cacher-ng on the bridge addresses
 * @param commandTimeout timeout of every short command the backend runs
 * @param bootTimeout how long power-on waits for sshd to accept TCP
 * @param stopTimeout how long power-off waits for a killed server to vanish
 * @param imageBuildTimeout timeout of the mmdebstrap base-image build
 * @param rebuildBaseImage rebuild the shared base image once at start even when cached
 * @param reclaim keep servers and images of an earlier run that still have records (false: start
 *     clean, removing them all)
 * @param aptSources host apt sources to read the mirror from ({@code auto}: the host's own)
 * @param maxServers maximum servers at once (at most 250)
 */
public record HostsConfig(
    int instance,
    Path stateDir,
    Path imageCacheDir,
    String bridge,
    String namePrefix,
    String ipv4Prefix,
    String ipv6Prefix,
    int aptCacherPort,
    Duration commandTimeout,
    Duration bootTimeout,
    Duration stopTimeout,
    Duration imageBuildTimeout,
    boolean rebuildBaseImage,
    boolean reclaim,
    String aptSources,
    int maxServers) {

  /** Default root of all emulator state on the machine. */
  public static final Path DEFAULT_ROOT = Path.of("/var/lib/goldsmith-emulator");

  public HostsConfig {
    List<String> problems = new ArrayList<>();
    if (instance < 0 || instance > 7) {
      problems.add("instance must be 0..7, got " + instance);
    }
    if (!namePrefix.matches("[a-z][a-z0-9]{0,4}-")) {
      problems.add("name-prefix must be 1-5 lower-case letters/digits and a dash: " + namePrefix);
    }
    if (!bridge.matches("[a-zA-Z0-9_-]{1,15}")) {
      problems.add("bridge must be a valid interface name (<= 15 chars): " + bridge);
    }
    if (!ipv4Prefix.matches("\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}")) {
      problems.add("ipv4-prefix must be three octets like 10.213.0: " + ipv4Prefix);
    }
    if (!ipv6Prefix.matches("[0-9a-f]{1,4}:[0-9a-f]{1,4}:[0-9a-f]{1,4}")) {
      problems.add("ipv6-prefix must be three hextets like fd00:213:0: " + ipv6Prefix);
    }
    if (maxServers < 1 || maxServers > 250) {
      problems.add("max-servers must be 1..250, got " + maxServers);
    }
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException("invalid hosts backend config: " + problems);
    }
  }

  /**
   * Builds a config from keys without the {@code emulator.hosts.} prefix. Unknown keys are rejected
   * so a typo does not go unnoticed. Durations are in seconds.
   */
  public static HostsConfig fromProperties(Map<String, String> p) {
    List<String> known =
        List.of(
            "instance",
            "state-dir",
            "image-cache-dir",
            "bridge",
            "name-prefix",
            "ipv4-prefix",
            "ipv6-prefix",
            "apt-cacher-port",
            "command-timeout-seconds",
            "boot-timeout-seconds",
            "stop-timeout-seconds",
            "image-build-timeout-seconds",
            "rebuild-base-image",
            "reclaim",
            "apt-sources",
            "max-servers");
    for (String k : p.keySet()) {
      if (!known.contains(k)) {
        throw new IllegalArgumentException(
            "unknown hosts backend key emulator.hosts." + k + " (known: " + known + ")");
      }
    }
    int n = Integer.parseInt(p.getOrDefault("instance", "0").trim());
    return new HostsConfig(
        n,
        Path.of(p.getOrDefault("state-dir", DEFAULT_ROOT.resolve("hosts-" + n).toString())),
        Path.of(p.getOrDefault("image-cache-dir", DEFAULT_ROOT.resolve("images").toString())),
        p.getOrDefault("bridge", "gsbr" + n),
        p.getOrDefault("name-prefix", "gs" + n + "-"),
        p.getOrDefault("ipv4-prefix", "10.213." + n),
        p.getOrDefault("ipv6-prefix", "fd00:213:" + n),
        Integer.parseInt(p.getOrDefault("apt-cacher-port", String.valueOf(3142 + n)).trim()),
        seconds(p, "command-timeout-seconds", 120),
        seconds(p, "boot-timeout-seconds", 90),
        seconds(p, "stop-timeout-seconds", 20),
        seconds(p, "image-build-timeout-seconds", 1200),
        Boolean.parseBoolean(p.getOrDefault("rebuild-base-image", "false").trim()),
        Boolean.parseBoolean(p.getOrDefault("reclaim", "true").trim()),
        p.getOrDefault("apt-sources", "auto"),
        Integer.parseInt(p.getOrDefault("max-servers", "250").trim()));
  }

  /** The defaults for one instance. */
  public static HostsConfig forInstance(int instance) {
    return fromProperties(Map.of("instance", String.valueOf(instance)));
  }

  private static Duration seconds(Map<String, String> p, String key, long dflt) {
    return Duration.ofSeconds(Long.parseLong(p.getOrDefault(key, String.valueOf(dflt)).trim()));
  }

  /** The name of a server's netns, host-side veth and nspawn machine: prefix + server id. */
  String machine(long serverId) {
    return namePrefix + serverId;
  }

  /** A server's directory: {@code upper}, {@code work}, {@code merged}, record, console log. */
  Path serverDir(long serverId) {
    return stateDir.resolve("servers").resolve(String.valueOf(serverId));
  }

  /**
   * The server id in a name this instance gives (netns, veth, machine), or -1 when the name is not
   * this instance's. Crash recovery touches only names with an id.
   */
  long ownedId(String name) {
    if (name == null || !name.startsWith(namePrefix)) {
      return -1;
    }
    String rest = name.substring(namePrefix.length());
    return rest.matches("\\d{1,18}") ? Long.parseLong(rest) : -1;
  }

  String bridgeIpv4() {
    return ipv4Prefix + ".1";
  }

  String bridgeIpv6() {
    return ipv6Prefix + "::1";
  }

  /** IPv4 of the server with allocation index {@code i} (1-based). */
  String serverIpv4(int i) {
    return ipv4Prefix + "." + (i + 1);
  }

  /** The server's address on the bridge's transit /64 (next hop of its routed /64). */
  String serverTransitIpv6(int i) {
    return ipv6Prefix + "::" + Integer.toHexString(i + 1);
  }

  /** The server's own routed /64, without the length. */
  String serverIpv6Net(int i) {
    return ipv6Prefix + ":" + Integer.toHexString(i) + "::";
  }

  /** The address the server answers on: {@code ::1} of its /64. */
  String serverIpv6(int i) {
    return serverIpv6Net(i) + "1";
  }
}
