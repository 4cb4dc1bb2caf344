package dev.goldsmith.provisioner.hostkeys;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import io.quarkus.logging.Log;

import dev.goldsmith.events.Patterns;
import dev.goldsmith.support.ssh.SshKeyPair;
import dev.goldsmith.support.ssh.SshPublicKey;

/**
 * The public host keys of the builders this provisioner created, one file per build ({@code
 * <dir>/<build id>.pub}, {@code ssh-ed25519 <base64>}), written before the create call so a
 * redelivered BuildAccepted that finds the builder publishes the same key again, even after a
 * crash. Only the public half is kept: the private half exists in memory until it is sent in the
 * create call's user data, and is never needed again. A builder whose key is not here (created by
 * another instance with its own directory, or the directory was lost) cannot be pinned, so the flow
 * replaces it; the server label {@link #LABEL} (a SHA-256 prefix of the key) tells which stored key
 * belongs to which server.
 */
public final class BuilderHostKeys {
  /** Server label holding {@link #fingerprintLabel(String)} of the host key. */
  public static final String LABEL = "goldsmith.dev/host-key";

  private static final Pattern HOST_KEY = Pattern.compile(Patterns.HOST_KEY);
  private static final String COMMENT = "goldsmith-builder";

  private final Path dir;
  private final Duration keep;
  private final Clock clock;

  /**
   * @param dir where the files live (created 0700 when missing)
   * @param keep files older than this are removed when a new key is generated (a builder that old
   *     was reaped by the janitor)
   */
  public BuilderHostKeys(Path dir, Duration keep, Clock clock) {
    this.dir = dir.toAbsolutePath();
    this.keep = keep;
    this.clock = clock;
  }

  /**
   * Generates a fresh host key for {@code buildId} and records its public half (replacing an
   * earlier one) before returning, so the caller may send it in a create call.
   */
  public SshKeyPair generate(UUID buildId) {
    SshKeyPair pair = SshKeyPair.generateEd25519(COMMENT);
    try {
      ensureDir();
      Path tmp = dir.resolve(buildId + ".pub.tmp");
      Files.writeString(tmp, hostKey(pair) + "\n", StandardCharsets.US_ASCII);
      Files.move(
          tmp, file(buildId), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot record the host key of build " + buildId, e);
    }
    prune();
    return pair;
  }

  /**
   * The public host key as BuilderReady carries it and the file holds it: {@code ssh-ed25519
   * <base64>}, no comment.
   */
  public static String hostKey(SshKeyPair pair) {
    return pair.publicKey().keyOnly();
  }

  /** {@link #fingerprintLabel(String)} of a pair's public key. */
  public static String fingerprintLabel(SshKeyPair pair) {
    return fingerprintLabel(hostKey(pair));
  }

  /**
   * The first 40 hex digits of the SHA-256 of a public key's blob: short enough for a label value,
   * enough to tell which stored key belongs to which server.
   */
  public static String fingerprintLabel(String publicKey) {
    byte[] blob = SshPublicKey.parse(publicKey).blob();
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(blob);
      return HexFormat.of().formatHex(d).substring(0, 40);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The recorded public host key of {@code buildId}'s builder; empty when none or unreadable. */
  public Optional<String> find(UUID buildId) {
    Path f = file(buildId);
    try {
      if (!Files.isRegularFile(f)) {
        return Optional.empty();
      }
      String key = Files.readString(f, StandardCharsets.US_ASCII).strip();
      if (!HOST_KEY.matcher(key).matches()) {
        Log.warnf("ignoring a malformed host key file file=%s", f);
        return Optional.empty();
      }
      return Optional.of(key);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the host key of build " + buildId, e);
    }
  }

  /** Forgets {@code buildId}'s key once its builder is gone. */
  public void delete(UUID buildId) {
    try {
      Files.deleteIfExists(file(buildId));
    } catch (IOException e) {
      Log.warnf("could not delete host key file buildId=%s: %s", buildId, e.getMessage());
    }
  }

  Path file(UUID buildId) {
    return dir.resolve(buildId + ".pub");
  }

  private void ensureDir() throws IOException {
    if (Files.isDirectory(dir)) {
      return;
    }
    try {
      Files.createDirectories(
          dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    } catch (FileAlreadyExistsException e) {
      // another thread made it
    }
  }

  private void prune() {
    Instant cutoff = clock.instant().minus(keep);
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f : files.filter(p -> p.getFileName().toString().endsWith(".pub")).toList()) {
        if (Files.getLastModifiedTime(f).toInstant().isBefore(cutoff)) {
          Files.deleteIfExists(f);
        }
      }
    } catch (IOException e) {
      Log.warnf("could not prune host key files dir=%s: %s", dir, e.getMessage());
    }
  }
}
