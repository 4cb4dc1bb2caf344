package dev.goldsmith.emulator.hosts;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;

import dev.goldsmith.emulator.backend.ServerBackend.BackendException;
import dev.goldsmith.emulator.backend.ServerFaultKind;

/**
 * A server's running OS: {@code systemd-nspawn --boot} in the server's netns, detached, with its
 * console appended to {@code console.log}. Starts it, waits until it booted, tells whether it still
 * runs, runs commands inside it and cuts its power.
 */
final class NspawnMachine {
  private static final Logger LOG = Logger.getLogger(NspawnMachine.class.getName());

  /** Written to console.log before every power-on, so a failure shows only that boot's output. */
  static final String BOOT_MARK = "-- goldsmith emulator: power on at ";

  private static final Path NSPAWN_RUN = Path.of("/run/systemd/nspawn");

  private final HostsConfig cfg;
  private final StateStore store;
  private final HostNetwork network;

  /**
   * The nspawn processes this JVM started, by server id: their exit status explains a failed boot.
   */
  private final Map<Long, Process> nspawns = new ConcurrentHashMap<>();

  NspawnMachine(HostsConfig cfg, StateStore store, HostNetwork network) {
    this.cfg = cfg;
    this.store = store;
    this.network = network;
  }

  /** The nspawn command line of a server; {@code slowBootDropIn} is bound over ssh.service. */
  static List<String> command(HostsConfig cfg, ServerRecord r, Path slowBootDropIn) {
    String machine = cfg.machine(r.id());
    List<String> cmd =
        new ArrayList<>(
            List.of(
                "setsid",
                "systemd-nspawn",
                "--quiet",
                "--boot",
                "--machine=" + machine,
                "--directory=" + cfg.serverDir(r.id()).resolve("merged"),
                "--network-namespace-path=/run/netns/" + machine,
                "--register=no",
                "--keep-unit",
                "--resolv-conf=off",
                "--timezone=off",
                "--link-journal=no",
                "--console=read-only"));
    if (r.name() != null && r.name().matches("[a-zA-Z0-9][a-zA-Z0-9.-]{0,62}")) {
      cmd.add("--hostname=" + r.name());
    }
    if (slowBootDropIn != null) {
      cmd.add(
          "--bind-ro="
              + slowBootDropIn
              + ":/run/systemd/system/ssh.service.d/goldsmith-slow-boot.conf");
    }
    return cmd;
  }

  /**
   * Starts the server's nspawn (disk mounted, network up) and saves its pid.
   *
   * @param slowBootSeconds sshd delay of a slow_boot fault, or 0
   * @return the record with the pid
   */
  ServerRecord start(ServerRecord r, int slowBootSeconds) {
    Path dir = cfg.serverDir(r.id());
    try {
      Path dropIn = null;
      if (slowBootSeconds > 0) {
        dropIn = dir.resolve("slow-boot.conf");
        Files.writeString(
            dropIn,
            "[Service]\nTimeoutStartSec=infinity\nExecStartPre=/bin/sleep "
                + slowBootSeconds
                + "\n");
      }
      ProcessBuilder pb = new ProcessBuilder(command(cfg, r, dropIn));
      pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
      pb.redirectErrorStream(true);
      Path console = dir.resolve("console.log");
      Files.writeString(
          console,
          BOOT_MARK + Instant.now() + "\n",
          StandardCharsets.UTF_8,
          StandardOpenOption.CREATE,
          StandardOpenOption.APPEND);
      pb.redirectOutput(ProcessBuilder.Redirect.appendTo(console.toFile()));
      Process p = pb.start();
      nspawns.put(r.id(), p);
      ServerRecord started = r.withPid(p.pid());
      store.save(started);
      return started;
    } catch (IOException e) {
      throw new BackendException("cannot start server " + r.id() + ": " + e.getMessage(), e);
    }
  }

  /**
   * Waits until the server booted: its init runs ({@code initOnly}, for a slow_boot server whose
   * sshd answers late on purpose) or {@code sshUp} holds. A server that stops meanwhile or does not
   * boot within the boot timeout is a BackendException with its console's tail.
   */
  void awaitBoot(ServerRecord r, boolean initOnly, BooleanSupplier sshUp) {
    long end = System.nanoTime() + cfg.bootTimeout().toNanos();
    while (System.nanoTime() < end) {
      if (!alive(r)) {
        cleanLeftovers(cfg.machine(r.id()));
        store.save(r.withPid(0));
        throw new BackendException(
            "server "
                + r.id()
                + " stopped while booting ("
                + exitStatus(r.id())
                + "): "
                + consoleTail(cfg.serverDir(r.id()).resolve("console.log")));
      }
      if (initOnly ? Procs.containerInit(r.pid()) > 0 : sshUp.getAsBoolean()) {
        return;
      }
      Procs.sleep(50);
    }
    kill(r);
    throw new BackendException(
        "server "
            + r.id()
            + " did not boot to sshd within "
            + cfg.bootTimeout().toSeconds()
            + " s: "
            + consoleTail(cfg.serverDir(r.id()).resolve("console.log")));
  }

  /**
   * Whether sshd of the server accepts TCP, checked inside its network namespace: over the first
   * family that no fault drops, else on loopback inside the netns.
   */
  boolean sshAccepts(ServerRecord r, Set<ServerFaultKind> dropped) {
    String addr = null;
    if (!dropped.contains(ServerFaultKind.IPV4_DROP)) {
      addr = cfg.serverIpv4(r.index());
    } else if (!dropped.contains(ServerFaultKind.IPV6_DROP)) {
      addr = cfg.serverIpv6(r.index());
    }
    if (addr != null) {
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress(addr, 22), 300);
        return true;
      } catch (IOException e) {
        return false;
      }
    }
    return Cmd.run(
            Duration.ofSeconds(5),
            "ip",
            "netns",
            "exec",
            cfg.machine(r.id()),
            "bash",
            "-c",
            "exec 3<>/dev/tcp/127.0.0.1/22")
        .ok();
  }

  /** How the nspawn of the server's last power-on ended, as far as this JVM saw it. */
  private String exitStatus(long serverId) {
    Process p = nspawns.get(serverId);
    if (p == null) {
      return "exit status unknown";
    }
    try {
      if (!p.waitFor(2, TimeUnit.SECONDS)) {
        return "nspawn still running";
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "interrupted";
    }
    int code = p.exitValue();
    return code > 128 ? "nspawn killed by signal " + (code - 128) : "nspawn exit code " + code;
  }

  /** The last 8 console lines of the last power-on only (from its marker line), joined. */
  static String consoleTail(Path consoleLog) {
    try {
      List<String> all = Files.readAllLines(consoleLog, StandardCharsets.UTF_8);
      int from = 0;
      for (int i = all.size() - 1; i >= 0; i--) {
        if (all.get(i).startsWith(BOOT_MARK)) {
          from = i + 1;
          break;
        }
      }
      List<String> lines = all.subList(from, all.size());
      if (lines.isEmpty()) {
        return "(no console output of this power-on)";
      }
      return String.join(" | ", lines.subList(Math.max(0, lines.size() - 8), lines.size()));
    } catch (IOException | UncheckedIOException e) {
      return "(no console log)";
    }
  }

  /** Runs a command inside the running server (all its namespaces). */
  Cmd.Result inServer(ServerRecord r, String... args) {
    long init = Procs.containerInit(r.pid());
    if (init <= 0) {
      throw new BackendException("server " + r.id() + " is not running");
    }
    List<String> cmd =
        new ArrayList<>(
            List.of(
                "nsenter",
                "--target",
                String.valueOf(init),
                "--mount",
                "--uts",
                "--ipc",
                "--net",
                "--pid",
                "--"));
    cmd.addAll(List.of(args));
    return Cmd.run(cfg.commandTimeout(), null, cmd);
  }

  /**
   * Whether the server's nspawn runs. For an nspawn this JVM started, the answer comes from its
   * {@link Process} (waitpid), never from {@code /proc}: right after the start, {@code setsid} is
   * still exec'ing {@code systemd-nspawn}, and during an execve the kernel shows an empty {@code
   * /proc/<pid>/cmdline} until the new program's arguments are set up, which read as "gone" and
   * failed fast power-ons. An nspawn of an earlier run (reclaimed) is long past its exec, so {@code
   * /proc} is reliable for it.
   */
  boolean alive(ServerRecord r) {
    if (r.pid() <= 0) {
      return false;
    }
    Process own = nspawns.get(r.id());
    if (own != null && own.pid() == r.pid()) {
      return own.isAlive() && !Procs.isZombie(r.pid());
    }
    return Procs.aliveWith(r.pid(), "--machine=" + cfg.machine(r.id()));
  }

  /** Asks the server's systemd for a clean poweroff (nspawn turns SIGTERM into SIGRTMIN+3). */
  void requestShutdown(ServerRecord r) {
    if (alive(r)) {
      Procs.term(r.pid());
    }
  }

  /** Cuts the power: kills the container's PID 1 (and with it its pid namespace), then nspawn. */
  void kill(ServerRecord r) {
    String machine = cfg.machine(r.id());
    if (alive(r)) {
      killPid(r.pid());
    }
    if (network.hasNamespace(machine)) {
      network.killProcesses(machine);
    }
    cleanLeftovers(machine);
    ServerRecord current = store.get(r.id());
    if (r.pid() != 0 && current != null) {
      store.save(current.withPid(0));
    }
  }

  /** Kills an nspawn by its pid and everything in its pid namespace. */
  void killPid(long pid) {
    long init = Procs.containerInit(pid);
    String ns = init > 0 ? Procs.pidNs(init).orElse(null) : null;
    // Killing the container's PID 1 makes the kernel kill its whole pid namespace; nspawn then
    // exits by itself. Without a PID 1 yet (still setting up), nspawn itself is killed; anything
    // it left is still in the server's netns and killed there by the caller.
    Procs.kill(init > 0 ? init : pid);
    if (!Procs.waitGone(pid, cfg.stopTimeout())) {
      Procs.kill(pid);
      Procs.waitGone(pid, cfg.stopTimeout());
    }
    if (ns != null) {
      for (long p : Procs.inPidNs(ns)) {
        Procs.kill(p);
      }
    }
  }

  /** Forgets the nspawn process of a deleted server. */
  void forget(long serverId) {
    nspawns.remove(serverId);
  }

  /** nspawn cannot remove its per-machine dirs when /run is not a tmpfs; this does. */
  void cleanLeftovers(String machine) {
    if (!Files.isDirectory(NSPAWN_RUN)) {
      return;
    }
    try (var s = Files.list(NSPAWN_RUN)) {
      for (Path sub : s.toList()) {
        Path p = sub.resolve(machine);
        if (Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
          RootFs.deleteRecursively(p);
        }
      }
    } catch (IOException | UncheckedIOException e) {
      LOG.log(Level.FINE, "cannot clean nspawn leftovers of " + machine, e);
    }
  }

  /** Removes leftovers of every machine of this instance that is not running. */
  void cleanLeftovers() {
    if (!Files.isDirectory(NSPAWN_RUN)) {
      return;
    }
    try (var s = Files.list(NSPAWN_RUN)) {
      for (Path sub : s.toList()) {
        if (!Files.isDirectory(sub)) {
          continue;
        }
        try (var t = Files.list(sub)) {
          for (Path p : t.toList()) {
            long id = cfg.ownedId(p.getFileName().toString());
            if (id >= 0) {
              ServerRecord r = store.get(id);
              if (r == null || !alive(r)) {
                RootFs.deleteRecursively(p);
              }
            }
          }
        }
      }
    } catch (IOException | UncheckedIOException e) {
      LOG.log(Level.FINE, "cannot clean nspawn leftovers", e);
    }
  }

  /** The nspawn run dirs of this instance's machines. */
  List<String> runDirs() {
    List<String> out = new ArrayList<>();
    if (Files.isDirectory(NSPAWN_RUN)) {
      try (var s = Files.walk(NSPAWN_RUN, 2)) {
        s.filter(p -> cfg.ownedId(p.getFileName().toString()) >= 0)
            .forEach(p -> out.add(p.toString()));
      } catch (IOException e) {
        // none
      }
    }
    return out;
  }
}
