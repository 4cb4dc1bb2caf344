package dev.goldsmith.verifier.ssh;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;

import com.hierynomus.sshj.userauth.keyprovider.OpenSSHKeyV1KeyFile;

/**
 * The verifier's own key pair: {@code id_ed25519} and {@code id_ed25519.pub} in a directory from
 * configuration. In local mode a missing pair is generated there (private key mode 0600).
 */
public final class VerifierKeyStore {

  public static final String COMMENT = "goldsmith-verifier";

  private VerifierKeyStore() {}

  /**
   * Loads the pair, generating it first when allowed and missing.
   *
   * @throws IllegalStateException when the pair is missing (and not generated) or unusable; the
   *     message names the file, never its content
   */
  public static OpenSshKeyPair loadOrGenerate(Path dir, boolean generateIfMissing) {
    Path priv = dir.resolve("id_ed25519");
    Path pub = dir.resolve("id_ed25519.pub");
    try {
      if (!Files.exists(priv)) {
        if (!generateIfMissing) {
          throw new IllegalStateException(
              "verifier SSH key "
                  + priv.toAbsolutePath()
                  + " does not exist; provide it or set"
                  + " goldsmith.verifier.ssh.generate-if-missing=true");
        }
        generate(dir, priv, pub);
      }
      String pem = Files.readString(priv, StandardCharsets.US_ASCII);
      String line = Files.readString(pub, StandardCharsets.US_ASCII).strip();
      PublicKeyLine parsed = PublicKeyLine.parse(line);
      // Check that the private key is readable by sshj and matches the public key.
      OpenSSHKeyV1KeyFile kf = new OpenSSHKeyV1KeyFile();
      kf.init(new StringReader(pem), new StringReader(line), null);
      byte[] derived =
          new net.schmizz.sshj.common.Buffer.PlainBuffer()
              .putPublicKey(kf.getPublic())
              .getCompactData();
      if (!java.util.Arrays.equals(derived, parsed.blob())) {
        throw new IllegalStateException(
            "verifier SSH key pair in " + dir.toAbsolutePath() + " does not match");
      }
      return new OpenSshKeyPair(pem, line);
    } catch (IOException e) {
      throw new IllegalStateException(
          "cannot read the verifier SSH key pair in "
              + dir.toAbsolutePath()
              + ": "
              + e.getClass().getSimpleName(),
          null);
    }
  }

  private static void generate(Path dir, Path priv, Path pub) throws IOException {
    Files.createDirectories(dir);
    OpenSshKeyPair kp = OpenSshKeyPair.generateEd25519(COMMENT);
    Path tmp = dir.resolve("id_ed25519.generating");
    Files.deleteIfExists(tmp);
    Files.createFile(
        tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    Files.writeString(tmp, kp.privateKeyPem(), StandardCharsets.US_ASCII);
    Files.writeString(pub, kp.publicKeyLine() + "\n", StandardCharsets.US_ASCII);
    // The private key appears last and atomically, so a crash never leaves half a pair behind.
    Files.move(tmp, priv, StandardCopyOption.ATOMIC_MOVE);
  }
}
