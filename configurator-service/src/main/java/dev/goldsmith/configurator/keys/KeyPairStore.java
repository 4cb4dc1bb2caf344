package dev.goldsmith.configurator.keys;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Loads the configurator's key pair from disk, generating an ed25519 pair with {@code ssh-keygen}
 * first when asked to and the private key is missing.
 */
public final class KeyPairStore {
  private static final Set<PosixFilePermission> OWNER_ONLY =
      PosixFilePermissions.fromString("rw-------");

  private KeyPairStore() {}

  /**
   * The key pair at {@code privateKey} / {@code publicKey}.
   *
   * @param generateIfMissing create the pair with ssh-keygen when the private key does not exist
   * @param comment the comment of a generated key
   * @throws IllegalStateException when the pair is missing or unusable
   */
  public static KeyPair loadOrGenerate(
      Path privateKey, Path publicKey, boolean generateIfMissing, String comment) {
    if (!Files.exists(privateKey)) {
      if (!generateIfMissing) {
        throw new IllegalStateException(
            "SSH private key "
                + privateKey
                + " does not exist; provide one or set"
                + " goldsmith.configurator.ssh.generate-if-missing=true");
      }
      generate(privateKey, publicKey, comment);
    }
    if (!Files.isReadable(privateKey)) {
      throw new IllegalStateException("SSH private key " + privateKey + " is not readable");
    }
    if (!Files.exists(publicKey)) {
      throw new IllegalStateException(
          "SSH public key " + publicKey + " does not exist next to private key " + privateKey);
    }
    try {
      restrictPermissions(privateKey);
      String line = Files.readString(publicKey, StandardCharsets.UTF_8).trim();
      return new KeyPair(privateKey.toAbsolutePath(), PublicKey.parse(line));
    } catch (IOException e) {
      throw new IllegalStateException("cannot read SSH public key " + publicKey, e);
    }
  }

  private static void generate(Path privateKey, Path publicKey, String comment) {
    try {
      Path dir = privateKey.toAbsolutePath().getParent();
      Files.createDirectories(dir);
      // ssh-keygen writes <file> and <file>.pub; generate into a temporary name, then move, so a
      // crash never leaves half a pair at the configured path.
      Path tmp = dir.resolve(privateKey.getFileName() + ".generating");
      Files.deleteIfExists(tmp);
      Files.deleteIfExists(Path.of(tmp + ".pub"));
      Process p =
          new ProcessBuilder(
                  List.of(
                      "ssh-keygen",
                      "-q",
                      "-t",
                      "ed25519",
                      "-N",
                      "",
                      "-C",
                      comment,
                      "-f",
                      tmp.toString()))
              .redirectErrorStream(true)
              .start();
      p.getOutputStream().close();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(60, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IllegalStateException("ssh-keygen did not finish within 60 s");
      }
      if (p.exitValue() != 0) {
        throw new IllegalStateException(
            "ssh-keygen failed with exit " + p.exitValue() + ": " + out.trim());
      }
      Files.createDirectories(publicKey.toAbsolutePath().getParent());
      Files.move(Path.of(tmp + ".pub"), publicKey);
      Files.move(tmp, privateKey);
    } catch (IOException e) {
      throw new IllegalStateException("cannot generate SSH key pair at " + privateKey, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while generating SSH key pair", e);
    }
  }

  private static void restrictPermissions(Path privateKey) throws IOException {
    try {
      if (!Files.getPosixFilePermissions(privateKey).equals(OWNER_ONLY)) {
        // ssh refuses a private key others can read.
        Files.setPosixFilePermissions(privateKey, OWNER_ONLY);
      }
    } catch (UnsupportedOperationException e) {
      // Not a POSIX file system: nothing to restrict.
    }
  }
}
