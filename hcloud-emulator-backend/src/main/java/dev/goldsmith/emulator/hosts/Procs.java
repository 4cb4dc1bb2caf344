package dev.goldsmith.emulator.hosts;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** Small helpers over {@code /proc}: who is alive, what it runs, which namespace it is in. */
final class Procs {

  private Procs() {}

  static List<String> cmdline(long pid) {
    try {
      byte[] b = Files.readAllBytes(Path.of("/proc/" + pid + "/cmdline"));
      if (b.length == 0) {
        return List.of();
      }
      return Arrays.asList(new String(b, StandardCharsets.UTF_8).split("\0"));
    } catch (IOException e) {
      return List.of();
    }
  }

  /** True when {@code pid} is alive (not a zombie) and its command line has {@code marker}. */
  static boolean aliveWith(long pid, String marker) {
    if (pid <= 0) {
      return false;
    }
    if (isZombie(pid)) {
      return false;
    }
    return cmdline(pid).contains(marker);
  }

  static boolean isZombie(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
      String rest = stat.substring(stat.lastIndexOf(')') + 2);
      return rest.startsWith("Z") || rest.startsWith("X");
    } catch (IOException e) {
      return true;
    }
  }

  static Optional<String> pidNs(long pid) {
    try {
      return Optional.of(Files.readSymbolicLink(Path.of("/proc/" + pid + "/ns/pid")).toString());
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  /** The container's PID 1: the child of nspawn that lives in another pid namespace. */
  static long containerInit(long nspawnPid) {
    Optional<String> own = pidNs(nspawnPid);
    return ProcessHandle.of(nspawnPid)
        .map(
            h ->
                h.children()
                    .filter(c -> !pidNs(c.pid()).equals(own) && pidNs(c.pid()).isPresent())
                    .mapToLong(ProcessHandle::pid)
                    .findFirst()
                    .orElse(0L))
        .orElse(0L);
  }

  /** Every process that is in the given pid namespace. */
  static List<Long> inPidNs(String ns) {
    List<Long> out = new ArrayList<>();
    ProcessHandle.allProcesses()
        .forEach(
            h -> {
              if (pidNs(h.pid()).map(ns::equals).orElse(false)) {
                out.add(h.pid());
              }
            });
    return out;
  }

  static void kill(long pid) {
    ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
  }

  static void term(long pid) {
    ProcessHandle.of(pid).ifPresent(ProcessHandle::destroy);
  }

  /** Waits until the process is gone (or a zombie); true when it is. */
  static boolean waitGone(long pid, Duration max) {
    long end = System.nanoTime() + max.toNanos();
    while (System.nanoTime() < end) {
      if (!Files.exists(Path.of("/proc/" + pid)) || isZombie(pid)) {
        return true;
      }
      sleep(20);
    }
    return !Files.exists(Path.of("/proc/" + pid)) || isZombie(pid);
  }

  static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
