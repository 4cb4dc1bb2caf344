package dev.goldsmith.emulator.hosts;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Logger;

import dev.goldsmith.emulator.backend.ServerBackend.BackendException;

/**
 * Crash recovery and inventory of one instance: finds what this instance left on the machine
 * (nspawn processes, overlay mounts, namespaces, veths, server dirs) and removes what no server
 * record explains. Only names with this instance's prefix and paths under its state dir are
 * touched.
 */
final class Reconciler {
  private static final Logger LOG = Logger.getLogger(Reconciler.class.getName());

  private final HostsConfig cfg;
  private final StateStore store;
  private final HostNetwork network;
  private final OverlayLayers layers;
  private final NspawnMachine machines;

  Reconciler(
      HostsConfig cfg,
      StateStore store,
      HostNetwork network,
      OverlayLayers layers,
      NspawnMachine machines) {
    this.cfg = cfg;
    this.store = store;
    this.network = network;
    this.layers = layers;
    this.machines = machines;
  }

  /** Removes everything of this instance that has no server record. */
  void removeStrays() {
    // stray nspawn processes of this instance
    ProcessHandle.allProcesses()
        .forEach(
            h -> {
              long id = machineId(Procs.cmdline(h.pid()));
              if (id >= 0) {
                ServerRecord r = store.get(id);
                if (r == null || r.pid() != h.pid()) {
                  LOG.warning("killing stray server process " + h.pid() + " of server " + id);
                  machines.killPid(h.pid());
                }
              }
            });
    // stray overlay mounts under our state dir
    String serversDir = cfg.stateDir().resolve("servers") + "/";
    for (String mp : OverlayLayers.mountPoints()) {
      if (mp.startsWith(serversDir)) {
        String idPart = mp.substring(serversDir.length()).split("/")[0];
        if (!idPart.matches("\\d+") || !store.has(Long.parseLong(idPart))) {
          LOG.warning("unmounting stray mount " + mp);
          layers.umountPath(mp);
        }
      }
    }
    for (String ns : network.ownNamespaces()) {
      if (!store.has(cfg.ownedId(ns))) {
        LOG.warning("removing stray namespace " + ns);
        network.removeNamespace(ns);
      }
    }
    for (String ifname : network.ownLinks()) {
      if (!store.has(cfg.ownedId(ifname))) {
        LOG.warning("removing stray veth " + ifname);
        network.removeLink(ifname);
      }
    }
    // stray server dirs without a record
    try (var s = Files.list(cfg.stateDir().resolve("servers"))) {
      for (Path d : s.toList()) {
        String n = d.getFileName().toString();
        if (n.matches("\\d+")
            && !store.has(Long.parseLong(n))
            && !OverlayLayers.isMounted(d.resolve("merged"))) {
          RootFs.deleteRecursively(d);
        }
      }
    } catch (IOException e) {
      throw new BackendException("cannot list servers in " + cfg.stateDir(), e);
    }
  }

  /**
   * The server id of an nspawn command line of this instance ({@code systemd-nspawn …
   * --machine=<prefix><id>}), or -1.
   */
  long machineId(List<String> cmdline) {
    if (cmdline.isEmpty() || !cmdline.get(0).endsWith("systemd-nspawn")) {
      return -1;
    }
    for (String a : cmdline) {
      if (a.startsWith("--machine=")) {
        return cfg.ownedId(a.substring("--machine=".length()));
      }
    }
    return -1;
  }

  /** The names this instance may leave on the machine: namespaces, veths, mounts, processes. */
  List<String> leftovers() {
    List<String> out = new ArrayList<>();
    network.ownNamespaces().forEach(n -> out.add("netns " + n));
    network.ownLinks().forEach(l -> out.add("link " + l));
    if (network.bridgeExists()) {
      out.add("bridge " + cfg.bridge());
    }
    for (String mp : OverlayLayers.mountPoints()) {
      if (mp.startsWith(cfg.stateDir().toString())) {
        out.add("mount " + mp);
      }
    }
    String acng = cfg.stateDir().resolve("acng").toString();
    ProcessHandle.allProcesses()
        .forEach(
            h -> {
              List<String> cl = Procs.cmdline(h.pid());
              for (String a : cl) {
                if ((a.startsWith("--machine=") && cfg.ownedId(a.substring(10)) >= 0)
                    || a.equals(acng)) {
                  out.add("process " + h.pid() + " " + String.join(" ", cl));
                  break;
                }
              }
            });
    machines.runDirs().forEach(p -> out.add("nspawn-run " + p));
    return out;
  }
}
