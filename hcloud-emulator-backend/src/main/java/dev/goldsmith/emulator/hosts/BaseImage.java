package dev.goldsmith.emulator.hosts;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import java.util.logging.Logger;

import dev.goldsmith.emulator.backend.ServerBackend.BackendException;

/**
 * The {@code debian-12} system image: a generalised Debian bookworm root filesystem built once with
 * mmdebstrap from the host's own mirror and cached as {@code debian-12.tar.zst} in a directory that
 * every emulator instance shares. Building and replacing the tarball happen under an exclusive file
 * lock, so concurrent emulators build it once.
 */
final class BaseImage {

  static final String NAME = "debian-12";
  static final String RELEASE = "bookworm";
  static final String PACKAGES = "openssh-server,python3,sudo,iproute2,systemd-sysv,dbus";
  private static final Logger LOG = Logger.getLogger(BaseImage.class.getName());
  private static final ReentrantLock JVM_LOCK = new ReentrantLock();

  private BaseImage() {}

  static Path tarball(Path cacheDir) {
    return cacheDir.resolve(NAME + ".tar.zst");
  }

  /** Returns the cached tarball, building it first when it is missing or {@code rebuild} is set. */
  static Path ensure(Path cacheDir, AptSources sources, boolean rebuild, Duration timeout) {
    Path tar = tarball(cacheDir);
    JVM_LOCK.lock();
    try {
      Files.createDirectories(cacheDir);
      try (FileChannel ch =
              FileChannel.open(
                  cacheDir.resolve(NAME + ".lock"),
                  StandardOpenOption.CREATE,
                  StandardOpenOption.WRITE);
          FileLock lock = ch.lock()) {
        if (Files.isRegularFile(tar) && !rebuild) {
          return tar;
        }
        build(cacheDir, sources, timeout);
        return tar;
      }
    } catch (IOException e) {
      throw new BackendException("cannot use the image cache " + cacheDir, e);
    } finally {
      JVM_LOCK.unlock();
    }
  }

  private static void build(Path cacheDir, AptSources sources, Duration timeout)
      throws IOException {
    long t0 = System.nanoTime();
    Path work = cacheDir.resolve("build-" + NAME + "-" + ProcessHandle.current().pid());
    if (Files.exists(work)) {
      RootFs.deleteRecursively(work);
    }
    Path debCache = cacheDir.resolve("debcache");
    Files.createDirectories(debCache);
    List<String> cmd = new ArrayList<>();
    cmd.addAll(
        List.of(
            "mmdebstrap",
            "--variant=minbase",
            "--include=" + PACKAGES,
            "--dpkgopt=path-exclude=/usr/share/man/*",
            "--dpkgopt=path-exclude=/usr/share/locale/*",
            "--dpkgopt=path-include=/usr/share/locale/locale.alias",
            "--dpkgopt=path-exclude=/usr/share/doc/*",
            "--dpkgopt=path-include=/usr/share/doc/*/copyright",
            "--skip=essential/unlink",
            "--setup-hook=mkdir -p \"$1\"/var/cache/apt/archives/",
            "--setup-hook=sync-in " + debCache + " /var/cache/apt/archives/",
            "--customize-hook=sync-out /var/cache/apt/archives " + debCache,
            RELEASE,
            work.toString()));
    cmd.addAll(sources.debLines(RELEASE));
    LOG.info("building base image " + NAME + " with mmdebstrap (once; cached in " + cacheDir + ")");
    Cmd.Result r = Cmd.run(timeout, null, cmd);
    if (!r.ok()) {
      RootFs.deleteRecursively(work);
      r.check();
    }
    generalise(work);
    Path tmp = cacheDir.resolve(NAME + ".tar.zst.tmp");
    Cmd.run(
            timeout,
            "tar",
            "--numeric-owner",
            "--xattrs",
            "--xattrs-include=*",
            "-I",
            "zstd -T0 -3",
            "-C",
            work.toString(),
            "-cf",
            tmp.toString(),
            ".")
        .check();
    Files.move(tmp, tarball(cacheDir), StandardCopyOption.ATOMIC_MOVE);
    RootFs.deleteRecursively(work);
    LOG.info(
        String.format(
            "built base image %s in %.1f s (%d bytes compressed)",
            NAME, (System.nanoTime() - t0) / 1e9, Files.size(tarball(cacheDir))));
  }

  /** Removes what makes the tree one machine: host keys, machine-id, build host's names. */
  static void generalise(Path root) throws IOException {
    try (var s = Files.list(root.resolve("etc/ssh"))) {
      for (Path p : s.toList()) {
        if (p.getFileName().toString().startsWith("ssh_host_")) {
          Files.delete(p);
        }
      }
    }
    Files.writeString(root.resolve("etc/machine-id"), "");
    Files.deleteIfExists(root.resolve("var/lib/dbus/machine-id"));
    Files.writeString(root.resolve("etc/hostname"), "localhost\n");
    Files.writeString(
        root.resolve("etc/hosts"),
        "127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n");
    Files.deleteIfExists(root.resolve("etc/resolv.conf"));
    Files.writeString(
        root.resolve("etc/resolv.conf"), "# emulated server: no DNS, apt uses the proxy\n");
    Files.writeString(
        root.resolve("etc/apt/apt.conf.d/90goldsmith-no-deb-cache"),
        "APT::Keep-Downloaded-Packages \"false\";\n");
  }

  /** Unpacks the tarball into {@code dest} (atomically: a temp dir renamed at the end). */
  static void extract(Path tar, Path dest, Duration timeout) throws IOException {
    Path tmp = dest.resolveSibling(dest.getFileName() + ".tmp");
    if (Files.exists(tmp)) {
      RootFs.deleteRecursively(tmp);
    }
    Files.createDirectories(tmp);
    Cmd.run(
            timeout,
            "tar",
            "--numeric-owner",
            "--xattrs",
            "--xattrs-include=*",
            "-I",
            "zstd",
            "-xpf",
            tar.toString(),
            "-C",
            tmp.toString())
        .check();
    Files.move(tmp, dest, StandardCopyOption.ATOMIC_MOVE);
  }
}
