package dev.goldsmith.configurator.ansible;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Closes the ssh ControlMaster processes a run left behind (ControlPersist detaches them from
 * ansible-playbook's process tree) and removes the run's socket directory.
 */
public final class SshMasters {
  private SshMasters() {}

  /** Asks every master with a socket in {@code dir} to exit, then deletes {@code dir}. */
  public static void closeAll(Path dir) {
    if (!Files.isDirectory(dir)) {
      return;
    }
    try (Stream<Path> sockets = Files.list(dir)) {
      for (Path socket : sockets.toList()) {
        exit(socket);
        Files.deleteIfExists(socket);
      }
      Files.deleteIfExists(dir);
    } catch (IOException e) {
      // Best effort: a leftover master exits by itself after ControlPersist.
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
