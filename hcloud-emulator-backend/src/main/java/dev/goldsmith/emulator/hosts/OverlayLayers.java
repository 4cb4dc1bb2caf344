package dev.goldsmith.emulator.hosts;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import dev.goldsmith.emulator.backend.ServerBackend.BackendException;

/**
 * Server disks as overlay filesystems: immutable layers under {@code <state-dir>/layers} (the
 * system layer unpacked from the base image, one per snapshot), and per server a writable {@code
 * upper} with its {@code work} dir, mounted at {@code merged}. Layers nobody uses are removed.
 */
final class OverlayLayers {
  private final HostsConfig cfg;
  private final StateStore store;
  private volatile Path systemLayer;
  private volatile long systemLayerSize;

  OverlayLayers(HostsConfig cfg, StateStore store) {
    this.cfg = cfg;
    this.store = store;
  }

  /** Unpacks the base image tarball into the system layer (once per tarball). */
  void prepareSystemLayer(Path tar) {
    try {
      long stamp = Files.getLastModifiedTime(tar).toMillis();
      Path layer = layers().resolve("sys-" + BaseImage.NAME + "-" + stamp);
      if (!Files.isDirectory(layer)) {
        BaseImage.extract(tar, layer, cfg.commandTimeout());
      }
      systemLayer = layer;
      systemLayerSize = du(List.of(layer.toString()));
    } catch (IOException e) {
      throw new BackendException("cannot unpack the base image " + tar, e);
    }
  }

  /** Size of the system layer in bytes, or -1 before it is prepared. */
  long systemLayerSize() {
    return systemLayer == null ? -1 : systemLayerSize;
  }

  /** The layer chain (top first) of an image: a captured image's, or the system layer. */
  List<String> lowersOf(long imageId, String systemImageName) {
    ServerRecord.Image img = store.image(imageId);
    if (img != null) {
      return img.lowers();
    }
    if (!BaseImage.NAME.equals(systemImageName)) {
      throw new BackendException(
          "the hosts backend has only the system image "
              + BaseImage.NAME
              + ", not "
              + systemImageName);
    }
    return List.of(systemLayer.toString());
  }

  /** Creates an empty writable layer and mount point for a new server. */
  void createDisk(ServerRecord r) throws IOException {
    Path dir = cfg.serverDir(r.id());
    Files.createDirectories(dir.resolve("upper"));
    Files.createDirectories(dir.resolve("work"));
    Files.createDirectories(dir.resolve("merged"));
  }

  /** Throws the writable layer away (the server must be unmounted). */
  void resetDisk(ServerRecord r) {
    Path dir = cfg.serverDir(r.id());
    try {
      RootFs.deleteRecursively(dir.resolve("upper"));
      RootFs.deleteRecursively(dir.resolve("work"));
      Files.createDirectories(dir.resolve("upper"));
      Files.createDirectories(dir.resolve("work"));
    } catch (IOException e) {
      throw new BackendException("cannot reset the disk of server " + r.id(), e);
    }
  }

  /** The overlay mount options of a server's disk. */
  static String mountOptions(ServerRecord r, Path serverDir) {
    return "lowerdir="
        + String.join(":", r.lowers())
        + ",upperdir="
        + serverDir.resolve("upper")
        + ",workdir="
        + serverDir.resolve("work");
  }

  /** Mounts the server's disk at {@code merged} unless it is mounted already. */
  void mount(ServerRecord r) {
    Path dir = cfg.serverDir(r.id());
    Path merged = dir.resolve("merged");
    if (isMounted(merged)) {
      return;
    }
    Cmd.run(
            cfg.commandTimeout(),
            "mount",
            "-t",
            "overlay",
            cfg.machine(r.id()),
            "-o",
            mountOptions(r, dir),
            merged.toString())
        .check();
  }

  /** Unmounts the server's disk and anything mounted below it. */
  void unmount(ServerRecord r) {
    Path merged = cfg.serverDir(r.id()).resolve("merged");
    // submounts first (none are expected on the host side, but never leave one behind)
    List<String> mps = mountPoints();
    for (int i = mps.size() - 1; i >= 0; i--) {
      if (mps.get(i).startsWith(merged + "/")) {
        umountPath(mps.get(i));
      }
    }
    while (isMounted(merged)) {
      umountPath(merged.toString());
    }
  }

  void umountPath(String mp) {
    Cmd.Result res = Cmd.run(cfg.commandTimeout(), "umount", mp);
    if (!res.ok()) {
      Procs.sleep(200);
      Cmd.run(cfg.commandTimeout(), "umount", mp).check();
    }
  }

  static List<String> mountPoints() {
    try {
      List<String> out = new ArrayList<>();
      for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
        String[] f = line.split(" ");
        out.add(f[4].replace("\\040", " "));
      }
      return out;
    } catch (IOException e) {
      throw new BackendException("cannot read /proc/self/mountinfo", e);
    }
  }

  static boolean isMounted(Path p) {
    return mountPoints().contains(p.toString());
  }

  /**
   * Captures the server's disk as layer {@code snap-<imageId>}. Running: the writable layer is
   * copied (the server keeps its own). Off: in O(1) the writable layer becomes the image and the
   * server gets a fresh one on top.
   *
   * @return the image record, saved
   */
  ServerRecord.Image capture(ServerRecord r, long imageId, boolean running) throws IOException {
    Path dir = cfg.serverDir(r.id());
    Path layer = layers().resolve("snap-" + imageId);
    if (Files.exists(layer)) {
      RootFs.deleteRecursively(layer);
    }
    List<String> chain = new ArrayList<>();
    chain.add(layer.toString());
    chain.addAll(r.lowers());
    if (running) {
      Cmd.run(cfg.commandTimeout(), "sync", "-f", dir.resolve("merged").toString());
      Path tmp = layer.resolveSibling(layer.getFileName() + ".tmp");
      if (Files.exists(tmp)) {
        RootFs.deleteRecursively(tmp);
      }
      Cmd.run(cfg.commandTimeout(), "cp", "-a", dir.resolve("upper").toString(), tmp.toString())
          .check();
      Files.move(tmp, layer);
    } else {
      unmount(r);
      Files.move(dir.resolve("upper"), layer);
      RootFs.deleteRecursively(dir.resolve("work"));
      Files.createDirectories(dir.resolve("upper"));
      Files.createDirectories(dir.resolve("work"));
      ServerRecord moved = r.withLowers(chain);
      store.save(moved);
      mount(moved);
    }
    ServerRecord.Image img = new ServerRecord.Image(imageId, List.copyOf(chain), du(chain));
    store.saveImage(img);
    return img;
  }

  /** Removes layers no server and no image uses any more. */
  synchronized void gc() {
    Set<String> used = new HashSet<>();
    store.servers().forEach(s -> used.addAll(s.lowers()));
    store.images().forEach(i -> used.addAll(i.lowers()));
    if (systemLayer != null) {
      used.add(systemLayer.toString());
    }
    try (var s = Files.list(layers())) {
      for (Path l : s.toList()) {
        if (!used.contains(l.toString())) {
          RootFs.deleteRecursively(l);
        }
      }
    } catch (IOException e) {
      throw new BackendException("cannot list layers", e);
    }
  }

  private Path layers() {
    return cfg.stateDir().resolve("layers");
  }

  /** Bytes used by the given directories together. */
  long du(List<String> paths) {
    List<String> cmd = new ArrayList<>(List.of("du", "-sbc"));
    cmd.addAll(paths);
    Cmd.Result res = Cmd.run(cfg.commandTimeout(), null, cmd).check();
    String[] lines = res.out().strip().split("\n");
    return Long.parseLong(lines[lines.length - 1].split("\\s+")[0]);
  }
}
