package dev.goldsmith.emulator.hosts;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** The system ssh client with a temporary key, for tests. */
final class Ssh {

  final Path dir;
  final Path key;
  final String publicKey;

  Ssh() throws IOException {
    dir = Files.createTempDirectory("gs-hosts-it");
    key = dir.resolve("id_ed25519");
    Cmd.run(
            Duration.ofSeconds(30),
            "ssh-keygen",
            "-q",
            "-t",
            "ed25519",
            "-N",
            "",
            "-f",
            key.toString())
        .check();
    publicKey = Files.readString(dir.resolve("id_ed25519.pub")).strip();
  }

  /** Runs a command as root on {@code addr} (bare IPv4 or IPv6 address). */
  Cmd.Result run(String addr, int connectTimeoutSeconds, String command) {
    List<String> cmd =
        new ArrayList<>(
            List.of(
                "ssh",
                "-i",
                key.toString(),
                "-o",
                "BatchMode=yes",
                "-o",
                "StrictHostKeyChecking=no",
                "-o",
                "UserKnownHostsFile=/dev/null",
                "-o",
                "LogLevel=ERROR",
                "-o",
                "ConnectTimeout=" + connectTimeoutSeconds,
                "root@" + addr,
                command));
    return Cmd.run(Duration.ofSeconds(connectTimeoutSeconds + 300L), null, cmd);
  }

  Cmd.Result run(String addr, String command) {
    return run(addr, 10, command);
  }

  /** The ed25519 host key the server presents, as "type base64". */
  String hostKey(String addr) {
    Cmd.Result r = Cmd.run(Duration.ofSeconds(30), "ssh-keyscan", "-T", "5", "-t", "ed25519", addr);
    for (String line : r.out().split("\n")) {
      String[] f = line.trim().split("\\s+");
      if (f.length >= 3 && !line.startsWith("#")) {
        return f[1] + " " + f[2];
      }
    }
    throw new AssertionError("no host key from " + addr + ": " + r.err());
  }
}
