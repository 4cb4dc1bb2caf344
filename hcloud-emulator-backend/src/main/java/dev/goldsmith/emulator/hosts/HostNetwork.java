package dev.goldsmith.emulator.hosts;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import dev.goldsmith.emulator.backend.ServerBackend.BackendException;

/**
 * The instance's network on the machine: one bridge ({@code gsbr<n>}) with the gateway addresses,
 * and per server a network namespace whose {@code eth0} is a veth into the bridge, with its IPv4,
 * its routed IPv6 /64 and default routes. Every name is the server's machine name.
 */
final class HostNetwork {
  private final HostsConfig cfg;

  HostNetwork(HostsConfig cfg) {
    this.cfg = cfg;
  }

  /** Creates the bridge if needed and (re)sets its addresses. */
  void ensureBridge() {
    if (!Files.exists(Path.of("/sys/class/net/" + cfg.bridge()))) {
      Cmd.run(cfg.commandTimeout(), "ip", "link", "add", cfg.bridge(), "type", "bridge").check();
    }
    Cmd.run(
            cfg.commandTimeout(),
            "ip",
            "addr",
            "replace",
            cfg.bridgeIpv4() + "/24",
            "dev",
            cfg.bridge())
        .check();
    Cmd.run(
            cfg.commandTimeout(),
            "ip",
            "-6",
            "addr",
            "replace",
            cfg.bridgeIpv6() + "/64",
            "dev",
            cfg.bridge(),
            "nodad")
        .check();
    Cmd.run(cfg.commandTimeout(), "ip", "link", "set", cfg.bridge(), "up").check();
  }

  void removeBridge() {
    Cmd.run(cfg.commandTimeout(), "ip", "link", "del", cfg.bridge());
  }

  /**
   * netns + veth into the bridge + addresses + routes (idempotent).
   *
   * @return true when it was (re)created, so per-namespace state (network faults) must be applied
   */
  boolean ensure(ServerRecord r) {
    String ns = cfg.machine(r.id());
    boolean nsExists = Files.exists(Path.of("/run/netns/" + ns));
    boolean vethExists = Files.exists(Path.of("/sys/class/net/" + ns));
    if (nsExists && vethExists) {
      return false;
    }
    if (nsExists) {
      Cmd.run(cfg.commandTimeout(), "ip", "netns", "del", ns);
    }
    if (vethExists) {
      Cmd.run(cfg.commandTimeout(), "ip", "link", "del", ns);
    }
    Cmd.run(cfg.commandTimeout(), "ip", "netns", "add", ns).check();
    Cmd.run(
            cfg.commandTimeout(),
            hostScript(cfg, r.id(), r.index()).getBytes(StandardCharsets.UTF_8),
            List.of("ip", "-batch", "-"))
        .check();
    Cmd.run(
            cfg.commandTimeout(),
            insideScript(cfg, r.index()).getBytes(StandardCharsets.UTF_8),
            List.of("ip", "-n", ns, "-batch", "-"))
        .check();
    return true;
  }

  /** {@code ip -batch} lines on the host: the veth pair, its bridge port, the /64 route. */
  static String hostScript(HostsConfig cfg, long serverId, int index) {
    String ns = cfg.machine(serverId);
    return String.join(
        "\n",
        "link add " + ns + " type veth peer name eth0 netns " + ns,
        "link set " + ns + " master " + cfg.bridge(),
        "link set " + ns + " up",
        "route replace "
            + cfg.serverIpv6Net(index)
            + "/64 via "
            + cfg.serverTransitIpv6(index)
            + " dev "
            + cfg.bridge(),
        "");
  }

  /** {@code ip -batch} lines inside the server's netns: addresses and default routes. */
  static String insideScript(HostsConfig cfg, int index) {
    return String.join(
        "\n",
        "link set lo up",
        "link set eth0 up",
        "addr add " + cfg.serverIpv4(index) + "/24 dev eth0",
        "addr add " + cfg.serverTransitIpv6(index) + "/64 dev eth0 nodad",
        "addr add " + cfg.serverIpv6(index) + "/64 dev eth0 nodad",
        "route add default via " + cfg.bridgeIpv4(),
        "route add ::/0 via " + cfg.bridgeIpv6(),
        "");
  }

  /** Removes the server's route, namespace (and what still runs in it) and veth. */
  void remove(ServerRecord r) {
    String ns = cfg.machine(r.id());
    Cmd.run(
        cfg.commandTimeout(),
        "ip",
        "-6",
        "route",
        "del",
        cfg.serverIpv6Net(r.index()) + "/64",
        "via",
        cfg.serverTransitIpv6(r.index()));
    if (Files.exists(Path.of("/run/netns/" + ns))) {
      killProcesses(ns);
      Cmd.run(cfg.commandTimeout(), "ip", "netns", "del", ns).check();
    }
    if (Files.exists(Path.of("/sys/class/net/" + ns))) {
      Cmd.run(cfg.commandTimeout(), "ip", "link", "del", ns);
    }
  }

  /** Removes a namespace of this instance that has no server. */
  void removeNamespace(String ns) {
    killProcesses(ns);
    Cmd.run(cfg.commandTimeout(), "ip", "netns", "del", ns);
  }

  void removeLink(String ifname) {
    Cmd.run(cfg.commandTimeout(), "ip", "link", "del", ifname);
  }

  boolean hasNamespace(String ns) {
    return Files.exists(Path.of("/run/netns/" + ns));
  }

  /** Kills every process in a network namespace. */
  void killProcesses(String netns) {
    Cmd.Result res = Cmd.run(cfg.commandTimeout(), "ip", "netns", "pids", netns);
    if (res.ok()) {
      for (String p : res.out().split("\\s+")) {
        if (p.matches("\\d+")) {
          Procs.kill(Long.parseLong(p));
          Procs.waitGone(Long.parseLong(p), Duration.ofSeconds(5));
        }
      }
    }
  }

  /** The namespaces of this instance. */
  List<String> ownNamespaces() {
    List<String> out = new ArrayList<>();
    try (var s = Files.list(Path.of("/run/netns"))) {
      s.map(p -> p.getFileName().toString()).filter(n -> cfg.ownedId(n) >= 0).forEach(out::add);
    } catch (IOException e) {
      // no /run/netns yet: none
    }
    return out;
  }

  /** The network links (host-side veths) of this instance. */
  List<String> ownLinks() {
    List<String> out = new ArrayList<>();
    try (var s = Files.list(Path.of("/sys/class/net"))) {
      for (Path p : s.toList()) {
        if (cfg.ownedId(p.getFileName().toString()) >= 0) {
          out.add(p.getFileName().toString());
        }
      }
    } catch (IOException e) {
      throw new BackendException("cannot list network links", e);
    }
    return out;
  }

  boolean bridgeExists() {
    return Files.exists(Path.of("/sys/class/net/" + cfg.bridge()));
  }
}
