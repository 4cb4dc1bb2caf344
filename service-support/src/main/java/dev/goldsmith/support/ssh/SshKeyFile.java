package dev.goldsmith.support.ssh;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A key pair on disk: the private key file (its content is read only on demand, by {@link
 * #readPrivateKeyPem()}, for callers that hand it to sshj; ssh and ansible read the file
 * themselves) and the public key.
 */
public record SshKeyFile(Path privateKeyFile, SshPublicKey publicKey) {

  /** The private key file's content. A secret: never log it. */
  public String readPrivateKeyPem() {
    try {
      return Files.readString(privateKeyFile, StandardCharsets.US_ASCII);
    } catch (IOException e) {
      throw new IllegalStateException(
          "cannot read SSH private key " + privateKeyFile + ": " + e.getClass().getSimpleName(),
          null);
    }
  }

  @Override
  public String toString() {
    return "SshKeyFile[privateKeyFile=" + privateKeyFile + ", publicKey=" + publicKey + "]";
  }
}
