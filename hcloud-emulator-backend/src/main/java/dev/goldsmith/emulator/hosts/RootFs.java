package dev.goldsmith.emulator.hosts;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import dev.goldsmith.emulator.backend.ServerBackend.BackendException;

/**
 * A server's root filesystem seen from the host (its mounted overlay). Paths are resolved the way a
 * chroot would: a symlink inside the image never leads out of it, so content written by an earlier
 * owner of the disk cannot redirect the emulator's writes to host files. The server is not running
 * while these methods are used, so nothing changes under them.
 */
final class RootFs {

  private static final LinkOption NOFOLLOW = LinkOption.NOFOLLOW_LINKS;
  private final Path root;

  RootFs(Path root) {
    this.root = root;
  }

  Path root() {
    return root;
  }

  /**
   * Resolves an absolute in-image path to a host path, following symlinks as the image would see
   * them, except the last component (callers open it with NOFOLLOW).
   */
  Path resolve(String inImage) {
    if (!inImage.startsWith("/")) {
      throw new BackendException("path must be absolute: " + inImage);
    }
    Deque<String> todo = new ArrayDeque<>(List.of(inImage.split("/")));
    Deque<String> done = new ArrayDeque<>();
    int hops = 0;
    while (!todo.isEmpty()) {
      String c = todo.pollFirst();
      if (c.isEmpty() || c.equals(".")) {
        continue;
      }
      if (c.equals("..")) {
        done.pollLast();
        continue;
      }
      Path candidate = host(done).resolve(c);
      if (!todo.isEmpty() && Files.isSymbolicLink(candidate)) {
        if (++hops > 40) {
          throw new BackendException("too many symlinks in " + inImage);
        }
        String target;
        try {
          target = Files.readSymbolicLink(candidate).toString();
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
        if (target.startsWith("/")) {
          done.clear();
        }
        List<String> parts = List.of(target.split("/"));
        for (int i = parts.size() - 1; i >= 0; i--) {
          todo.addFirst(parts.get(i));
        }
        continue;
      }
      done.addLast(c);
    }
    return host(done);
  }

  private Path host(Deque<String> parts) {
    Path p = root;
    for (String s : parts) {
      p = p.resolve(s);
    }
    return p;
  }

  /** Creates the directory and its parents (each created one gets mode 755, root). */
  Path mkdirs(String inImage) {
    // "/." makes the last component count as an inner one: a symlinked directory is followed
    // (inside the image), as mkdir -p in a chroot would. Every existing component of the result
    // is a real directory, so creating the missing ones cannot leave the image.
    Path p = resolve(inImage + "/.");
    if (!Files.isDirectory(p, NOFOLLOW)) {
      try {
        Files.createDirectories(p);
      } catch (IOException e) {
        throw new BackendException("cannot create " + inImage + " in the server's disk", e);
      }
    }
    return p;
  }

  void write(String inImage, byte[] content, String mode) {
    write(inImage, content, mode, false);
  }

  /** Writes a file (replacing a symlink or file there), creating parent directories. */
  void write(String inImage, byte[] content, String mode, boolean append) {
    String parent = parentOf(inImage);
    if (parent != null) {
      mkdirs(parent);
    }
    Path p = resolve(inImage);
    try {
      if (!append && Files.isSymbolicLink(p)) {
        Files.delete(p);
      }
      try (OutputStream os =
          Files.newOutputStream(
              p,
              NOFOLLOW,
              StandardOpenOption.CREATE,
              StandardOpenOption.WRITE,
              append ? StandardOpenOption.APPEND : StandardOpenOption.TRUNCATE_EXISTING)) {
        os.write(content);
      }
      chmod(p, mode);
    } catch (IOException e) {
      throw new BackendException("cannot write " + inImage + " in the server's disk", e);
    }
  }

  void write(String inImage, String content, String mode) {
    write(inImage, content.getBytes(StandardCharsets.UTF_8), mode);
  }

  Optional<String> read(String inImage) {
    Path p = resolve(inImage);
    try {
      if (!Files.isRegularFile(p, NOFOLLOW)) {
        return Optional.empty();
      }
      return Optional.of(Files.readString(p));
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  void delete(String inImage) {
    try {
      Files.deleteIfExists(resolve(inImage));
    } catch (IOException e) {
      throw new BackendException("cannot delete " + inImage + " in the server's disk", e);
    }
  }

  /** Deletes a whole tree (symlinks are removed, not followed). */
  void deleteTree(String inImage) {
    Path p = resolve(inImage);
    if (Files.exists(p, NOFOLLOW)) {
      deleteRecursively(p);
    }
  }

  static void deleteRecursively(Path p) {
    try {
      if (Files.isDirectory(p, NOFOLLOW)) {
        try (var s = Files.list(p)) {
          for (Path c : s.toList()) {
            deleteRecursively(c);
          }
        }
      }
      Files.deleteIfExists(p);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Changes the owner to numeric ids looked up in the image's own passwd and group files. */
  void chown(String inImage, String owner) {
    String user = owner;
    String group = null;
    int colon = owner.indexOf(':');
    if (colon >= 0) {
      user = owner.substring(0, colon);
      group = owner.substring(colon + 1);
    }
    int uid = lookup("/etc/passwd", user, 2);
    int gid =
        group == null || group.isEmpty()
            ? lookup("/etc/passwd", user, 3)
            : lookup("/etc/group", group, 2);
    Path p = resolve(inImage);
    try {
      Files.setAttribute(p, "unix:uid", uid, NOFOLLOW);
      Files.setAttribute(p, "unix:gid", gid, NOFOLLOW);
    } catch (IOException e) {
      throw new BackendException("cannot chown " + inImage + " to " + owner, e);
    }
  }

  private int lookup(String file, String name, int field) {
    if (name.matches("\\d+")) {
      return Integer.parseInt(name);
    }
    for (String line : read(file).orElse("").split("\n")) {
      String[] f = line.split(":");
      if (f.length > field && f[0].equals(name)) {
        return Integer.parseInt(f[field]);
      }
    }
    throw new BackendException("no entry " + name + " in the server's " + file);
  }

  static void chmod(Path p, String mode) throws IOException {
    if (mode == null) {
      return;
    }
    int m = Integer.parseInt(mode, 8);
    Set<PosixFilePermission> perms = PosixFilePermissions.fromString(toRwx(m));
    Files.setPosixFilePermissions(p, perms);
  }

  private static String toRwx(int m) {
    String bits = "rwxrwxrwx";
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < 9; i++) {
      sb.append((m & (1 << (8 - i))) != 0 ? bits.charAt(i) : '-');
    }
    return sb.toString();
  }

  private static String parentOf(String inImage) {
    String s = inImage.replaceAll("/+$", "");
    int i = s.lastIndexOf('/');
    return i <= 0 ? null : s.substring(0, i);
  }
}
