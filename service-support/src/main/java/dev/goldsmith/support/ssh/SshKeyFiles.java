package dev.goldsmith.support.ssh;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.Set;

import net.schmizz.sshj.DefaultConfig;
import net.schmizz.sshj.common.Factory;
import net.schmizz.sshj.userauth.keyprovider.FileKeyProvider;
import net.schmizz.sshj.userauth.keyprovider.KeyFormat;
import net.schmizz.sshj.userauth.keyprovider.KeyProviderUtil;

/**
 * Loads a service's SSH key pair ({@code <private>} and {@code <private>.pub} or any two paths),
 * generating an Ed25519 pair in the JVM first when allowed and the private key is missing.
 *
 * <p>Checks, each failing with a message that names the file and never its content: the private key
 * exists (or is generated), is readable by sshj and unencrypted, and belongs to the public key; the
 * private key is restricted to its owner (mode 0600; ssh refuses others), created so from the
 * start, and appears last and atomically, so a crash never leaves half a pair.
 */
public final class SshKeyFiles {
  private static final Set<PosixFilePermission> OWNER_ONLY =
      PosixFilePermissions.fromString("rw-------");

  private SshKeyFiles() {}

  /**
   * The pair at {@code privateKey} / {@code publicKey}.
   *
   * @param generateIfMissing create an Ed25519 pair when the private key does not exist
   * @param comment the comment of a generated key
   * @param generateSetting the config key that allows generation, named in the error
   * @throws IllegalStateException when the pair is missing (and not generated) or unusable
   */
  public static SshKeyFile loadOrGenerate(
      Path privateKey,
      Path publicKey,
      boolean generateIfMissing,
      String comment,
      String generateSetting) {
    if (!Files.exists(privateKey)) {
      if (!generateIfMissing) {
        throw new IllegalStateException(
            "SSH private key "
                + privateKey.toAbsolutePath()
                + " does not exist; provide one or set "
                + generateSetting
                + "=true");
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
      SshPublicKey pub =
          SshPublicKey.parse(Files.readString(publicKey, StandardCharsets.UTF_8).strip());
      requireMatch(privateKey, pub);
      return new SshKeyFile(privateKey.toAbsolutePath(), pub);
    } catch (IOException e) {
      throw new IllegalStateException(
          "cannot read the SSH key pair " + privateKey + ": " + e.getClass().getSimpleName(), null);
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException("SSH public key " + publicKey + ": " + e.getMessage(), null);
    }
  }

  /** Writes a fresh Ed25519 pair: public key first, private key (0600) last and atomically. */
  public static SshKeyPair generate(Path privateKey, Path publicKey, String comment) {
    SshKeyPair kp = SshKeyPair.generateEd25519(comment);
    try {
      Path dir = privateKey.toAbsolutePath().getParent();
      Files.createDirectories(dir);
      Files.createDirectories(publicKey.toAbsolutePath().getParent());
      Path tmp = dir.resolve(privateKey.getFileName() + ".generating");
      Files.deleteIfExists(tmp);
      Files.createFile(tmp, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
      Files.writeString(tmp, kp.privateKeyPem(), StandardCharsets.US_ASCII);
      Files.writeString(publicKey, kp.publicKey().line() + "\n", StandardCharsets.US_ASCII);
      Files.move(tmp, privateKey, StandardCopyOption.ATOMIC_MOVE);
      return kp;
    } catch (IOException e) {
      throw new IllegalStateException(
          "cannot generate an SSH key pair at " + privateKey + ": " + e.getClass().getSimpleName(),
          null);
    }
  }

  /** The private key, read by sshj, must hold the public key of {@code pub}. */
  private static void requireMatch(Path privateKey, SshPublicKey pub) throws IOException {
    KeyFormat format = KeyProviderUtil.detectKeyFileFormat(privateKey.toFile());
    FileKeyProvider provider =
        Factory.Named.Util.create(new DefaultConfig().getFileKeyProviderFactories(), format.name());
    if (provider == null) {
      throw new IllegalStateException(
          "SSH private key " + privateKey + " is in an unsupported format (" + format + ")");
    }
    byte[] derived;
    try {
      provider.init(privateKey.toFile());
      derived = SshPublicKey.of(provider.getPublic(), "").blob();
      // The public half of an encrypted OpenSSH key is readable without the passphrase; the
      // private half is what ssh and sshj need unattended. Decoded only to check, never kept.
      provider.getPrivate();
    } catch (IOException | RuntimeException e) {
      throw new IllegalStateException(
          "SSH private key "
              + privateKey
              + " cannot be read (encrypted or damaged?): "
              + e.getClass().getSimpleName(),
          null);
    }
    if (!Arrays.equals(derived, pub.blob())) {
      throw new IllegalStateException(
          "SSH private key " + privateKey + " does not belong to its public key");
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
