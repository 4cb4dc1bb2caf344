package dev.goldsmith.configurator.ansible;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Closes the ssh ControlMaster processes a run left behind (ControlPersist detaches them from
 * ansible-playbook's process tree, so killing that tree does not reach them) and removes the run's
 * socket directory: each master is asked to exit through its socket, and any process still naming
 * the run's socket directory on its command line (a master titles itself {@code ssh: <control path>
 * [mux]}) is then terminated, so nothing of an interrupted run keeps a session to the builder open.
 */
public final class SshMasters {
  private SshMasters() {}

  /**
   * Asks every master with a socket in {@code dir} to exit, kills what still names {@code dir},
   * then deletes {@code dir}.
   */
  public static void closeAll(Path dir) {
    if (!Files.isDirectory(dir)) {
      return;
    }
    try (Stream<Path> sockets = Files.list(dir)) {
      for (Path socket : sockets.toList()) {
        exit(socket);
      }
    } catch (IOException e) {
      // Best effort; the processes are found by their command line below.
    }
    killNaming(dir);
    try (Stream<Path> sockets = Files.list(dir)) {
      for (Path socket : sockets.toList()) {
        Files.deleteIfExists(socket);
      }
      Files.deleteIfExists(dir);
    } catch (IOException e) {
      // Best effort: a leftover directory holds nothing but dead sockets.
    }
  }

  /** SIGTERM, then SIGKILL after a short grace, to every process whose command line names dir. */
  static void killNaming(Path dir) {
    String needle = dir.toAbsolutePath().normalize() + "/";
    long self = ProcessHandle.current().pid();
    List<ProcessHandle> found =
        ProcessHandle.allProcesses()
            .filter(h -> h.pid() != self && commandLine(h.pid()).contains(needle))
            .toList();
    found.forEach(ProcessHandle::destroy);
    for (ProcessHandle h : found) {
      try {
        h.onExit().get(5, TimeUnit.SECONDS);
      } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
        h.destroyForcibly();
      } catch (InterruptedException e) {
        h.destroyForcibly();
        Thread.currentThread().interrupt();
      }
    }
  }

  /** {@code /proc/<pid>/cmdline} with NULs as spaces; empty when unreadable (not ours, gone). */
  private static String commandLine(long pid) {
    try {
      byte[] raw = Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline"));
      return new String(raw, java.nio.charset.StandardCharsets.UTF_8).replace('\0', ' ');
    } catch (IOException | RuntimeException e) {
      return "";
    }
  }

  private static void exit(Path socket) {
    try {
      Process p =
          new ProcessBuilder(
                  List.of(
                      "ssh",
                      "-o",
                      "ControlPath=" + socket,
                      "-O",
                      "exit",
                      // The host is required by the syntax but not contacted with -O.
                      "goldsmith-builder"))
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .start();
      if (!p.waitFor(10, TimeUnit.SECONDS)) {
        p.destroyForcibly();
      }
    } catch (IOException e) {
      // ssh missing or socket gone: nothing to close.
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
