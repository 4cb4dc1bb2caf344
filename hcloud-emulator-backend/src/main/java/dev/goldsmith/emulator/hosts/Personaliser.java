package dev.goldsmith.emulator.hosts;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;

import dev.goldsmith.emulator.backend.ServerBackend.BackendException;

/**
 * First-boot identity of a server, written onto its mounted (not running) disk the way cloud-init
 * does on Hetzner: fresh SSH host keys (or those of the user data), machine-id, hostname, root's
 * authorized keys, the apt proxy, and the supported subset of cloud-config ({@link CloudInit}).
 */
final class Personaliser {
  private static final SecureRandom RANDOM = new SecureRandom();

  private final HostsConfig cfg;
  private final String aptProxyUrl;

  Personaliser(HostsConfig cfg, String aptProxyUrl) {
    this.cfg = cfg;
    this.aptProxyUrl = aptProxyUrl;
  }

  /** Personalises the disk mounted at {@code merged}. */
  void personalise(ServerRecord r, Path merged) {
    RootFs fs = new RootFs(merged);
    CloudInit ci = CloudInit.parse(r.userData());
    List<String> hostKeyFiles = hostKeys(fs, ci, r.name());
    StringBuilder hk = new StringBuilder("# host keys of this server (goldsmith emulator)\n");
    hostKeyFiles.forEach(f -> hk.append("HostKey ").append(f).append('\n'));
    fs.write("/etc/ssh/sshd_config.d/00-goldsmith-hostkeys.conf", hk.toString(), "644");
    byte[] id = new byte[16];
    RANDOM.nextBytes(id);
    fs.write("/etc/machine-id", HexFormat.of().formatHex(id) + "\n", "444");
    fs.write("/etc/hostname", r.name() + "\n", "644");
    fs.write("/etc/hosts", hosts(r.name()), "644");
    List<String> rootKeys = new ArrayList<>(r.authorizedKeys());
    rootKeys.addAll(ci.rootKeys);
    fs.mkdirs("/root/.ssh");
    try {
      RootFs.chmod(fs.resolve("/root/.ssh"), "700");
    } catch (IOException e) {
      throw new BackendException("cannot chmod /root/.ssh", e);
    }
    fs.chown("/root/.ssh", "root");
    String existing = fs.read("/root/.ssh/authorized_keys").orElse("");
    fs.write("/root/.ssh/authorized_keys", appendKeys(existing, rootKeys), "600");
    fs.chown("/root/.ssh/authorized_keys", "root");
    fs.write(
        "/etc/apt/apt.conf.d/01goldsmith-proxy",
        "Acquire::http::Proxy \"" + aptProxyUrl + "\";\n",
        "644");
    ci.apply(fs, cfg.commandTimeout());
  }

  static String hosts(String name) {
    return "127.0.0.1\tlocalhost\n127.0.1.1\t"
        + name
        + "\n::1\tlocalhost ip6-localhost ip6-loopback\n";
  }

  /**
   * Replaces the image's host keys: by those of the user data's {@code ssh_keys}, else by a fresh
   * ed25519 key.
   *
   * @return the private key files sshd must use
   */
  private List<String> hostKeys(RootFs fs, CloudInit ci, String name) {
    Path etcSsh = fs.mkdirs("/etc/ssh");
    try (var s = Files.list(etcSsh)) {
      for (Path p : s.toList()) {
        if (p.getFileName().toString().startsWith("ssh_host_")) {
          Files.delete(p);
        }
      }
    } catch (IOException e) {
      throw new BackendException("cannot remove inherited host keys", e);
    }
    List<String> hostKeyFiles = new ArrayList<>();
    if (!ci.hostKeys.isEmpty()) {
      for (var e : ci.hostKeys.entrySet()) {
        String type = e.getKey().substring(0, e.getKey().indexOf('_'));
        String file = "/etc/ssh/ssh_host_" + type + "_key";
        if (e.getKey().endsWith("_private")) {
          String v = e.getValue().endsWith("\n") ? e.getValue() : e.getValue() + "\n";
          fs.write(file, v, "600");
          hostKeyFiles.add(file);
        } else {
          fs.write(file + ".pub", e.getValue().strip() + "\n", "644");
        }
      }
      return hostKeyFiles;
    }
    Path tmp = null;
    try {
      tmp = Files.createTempDirectory("gs-hostkey");
      Path key = tmp.resolve("k");
      Cmd.run(
              cfg.commandTimeout(),
              "ssh-keygen",
              "-q",
              "-t",
              "ed25519",
              "-N",
              "",
              "-C",
              "root@" + name,
              "-f",
              key.toString())
          .check();
      fs.write("/etc/ssh/ssh_host_ed25519_key", Files.readAllBytes(key), "600");
      fs.write(
          "/etc/ssh/ssh_host_ed25519_key.pub", Files.readAllBytes(tmp.resolve("k.pub")), "644");
      hostKeyFiles.add("/etc/ssh/ssh_host_ed25519_key");
    } catch (IOException e) {
      throw new BackendException("cannot generate host key", e);
    } finally {
      if (tmp != null) {
        RootFs.deleteRecursively(tmp);
      }
    }
    return hostKeyFiles;
  }

  /**
   * Root's authorized_keys as cloud-init leaves it: the image's lines stay, each key is appended
   * unless an identical line is already there (a leftover key in a snapshot survives, as on
   * Hetzner).
   */
  static String appendKeys(String existing, List<String> keys) {
    StringBuilder out = new StringBuilder(existing);
    if (out.length() > 0 && out.charAt(out.length() - 1) != '\n') {
      out.append('\n');
    }
    Set<String> present = new HashSet<>();
    existing.lines().map(String::strip).forEach(present::add);
    for (String k : keys) {
      String line = k.strip();
      if (!line.isEmpty() && present.add(line)) {
        out.append(line).append('\n');
      }
    }
    return out.toString();
  }
}
