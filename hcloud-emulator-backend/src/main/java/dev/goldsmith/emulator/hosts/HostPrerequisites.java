package dev.goldsmith.emulator.hosts;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.goldsmith.emulator.backend.ServerBackend.BackendException;

/**
 * What the machine must offer before a hosts instance starts: root, kernel overlayfs, every tool
 * the backend runs, and address ranges nobody else uses. Each failure names its fix.
 */
final class HostPrerequisites {
  /** Tools the backend runs, with the Debian package that provides each. */
  static final Map<String, String> TOOLS =
      Map.ofEntries(
          Map.entry("ip", "iproute2"),
          Map.entry("mount", "mount"),
          Map.entry("umount", "mount"),
          Map.entry("systemd-nspawn", "systemd-container"),
          Map.entry("mmdebstrap", "mmdebstrap"),
          Map.entry("apt-cacher-ng", "apt-cacher-ng"),
          Map.entry("zstd", "zstd"),
          Map.entry("tar", "tar"),
          Map.entry("ssh-keygen", "openssh-client"),
          Map.entry("nft", "nftables"),
          Map.entry("nsenter", "util-linux"),
          Map.entry("setsid", "util-linux"),
          Map.entry("chroot", "coreutils"),
          Map.entry("cp", "coreutils"),
          Map.entry("du", "coreutils"));

  private HostPrerequisites() {}

  /** Root, kernel overlayfs and every tool; names what is missing and which package provides it. */
  static void check() {
    List<String> problems = new ArrayList<>();
    try {
      String status = Files.readString(Path.of("/proc/self/status"));
      boolean root = status.lines().anyMatch(l -> l.matches("Uid:\\s+0\\s.*"));
      if (!root) {
        problems.add("the hosts backend must run as root (netns, overlay mounts, nspawn)");
      }
      if (!Files.readString(Path.of("/proc/filesystems")).contains("overlay")) {
        Cmd.run(Duration.ofSeconds(10), "modprobe", "overlay");
        if (!Files.readString(Path.of("/proc/filesystems")).contains("overlay")) {
          problems.add("the kernel has no overlay filesystem");
        }
      }
    } catch (IOException e) {
      problems.add("cannot read /proc: " + e.getMessage());
    }
    missingTools(TOOLS).ifPresent(problems::add);
    if (!problems.isEmpty()) {
      throw new BackendException("hosts backend cannot start: " + String.join("; ", problems));
    }
  }

  /**
   * The missing tools of {@code tools} (tool → package) and the apt-get line that installs them.
   */
  static Optional<String> missingTools(Map<String, String> tools) {
    List<String> missing = new ArrayList<>();
    Set<String> pkgs = new TreeSet<>();
    for (var t : new TreeMap<>(tools).entrySet()) {
      if (which(t.getKey()).isEmpty()) {
        missing.add(t.getKey() + " (package " + t.getValue() + ")");
        pkgs.add(t.getValue());
      }
    }
    if (missing.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(
        "missing tools: "
            + String.join(", ", missing)
            + "; install with: apt-get install --no-install-recommends "
            + String.join(" ", pkgs));
  }

  static Optional<Path> which(String tool) {
    List<String> dirs =
        new ArrayList<>(List.of(System.getenv().getOrDefault("PATH", "").split(":")));
    dirs.addAll(List.of("/usr/sbin", "/sbin", "/usr/bin", "/bin"));
    for (String d : dirs) {
      if (d.isEmpty()) {
        continue;
      }
      Path p = Path.of(d, tool);
      if (Files.isExecutable(p)) {
        return Optional.of(p);
      }
    }
    return Optional.empty();
  }

  /**
   * Refuses to start when the machine already uses addresses that overlap this instance's ranges.
   */
  static void checkAddressRanges(HostsConfig cfg, ObjectMapper json) {
    Cmd.Result r = Cmd.run(cfg.commandTimeout(), "ip", "-j", "addr", "show").check();
    List<String> clashes;
    try {
      clashes = clashes(cfg, json.readTree(r.out()));
    } catch (IOException e) {
      throw new BackendException("cannot parse ip -j addr", e);
    }
    if (!clashes.isEmpty()) {
      throw new BackendException(
          "address ranges of hosts instance "
              + cfg.instance()
              + " ("
              + cfg.ipv4Prefix()
              + ".0/24, "
              + cfg.ipv6Prefix()
              + "::/48) overlap addresses in use: "
              + clashes
              + "; set emulator.hosts.ipv4-prefix / ipv6-prefix or another instance");
    }
  }

  /**
   * The addresses of {@code ip -j addr} output (other than on this instance's bridge) that overlap
   * the instance's IPv4 /24 or IPv6 /48, as {@code ifname addr/len}.
   */
  static List<String> clashes(HostsConfig cfg, JsonNode links) {
    List<String> clashes = new ArrayList<>();
    for (JsonNode link : links) {
      String ifname = link.path("ifname").asText();
      if (ifname.equals(cfg.bridge())) {
        continue;
      }
      for (JsonNode a : link.path("addr_info")) {
        String local = a.path("local").asText();
        int len = a.path("prefixlen").asInt();
        String fam = a.path("family").asText();
        boolean clash =
            fam.equals("inet")
                ? overlaps(local, len, cfg.ipv4Prefix() + ".0", 24)
                : fam.equals("inet6") && overlaps(local, len, cfg.ipv6Prefix() + "::", 48);
        if (clash) {
          clashes.add(ifname + " " + local + "/" + len);
        }
      }
    }
    return clashes;
  }

  static boolean overlaps(String a, int lenA, String b, int lenB) {
    try {
      byte[] x = InetAddress.getByName(a).getAddress();
      byte[] y = InetAddress.getByName(b).getAddress();
      if (x.length != y.length) {
        return false;
      }
      int bits = Math.min(lenA, lenB);
      for (int i = 0; i < bits; i++) {
        int bx = (x[i / 8] >> (7 - i % 8)) & 1;
        int by = (y[i / 8] >> (7 - i % 8)) & 1;
        if (bx != by) {
          return false;
        }
      }
      return true;
    } catch (UnknownHostException e) {
      return false;
    }
  }
}
