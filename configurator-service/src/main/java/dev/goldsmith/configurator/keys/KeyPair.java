package dev.goldsmith.configurator.keys;

import java.nio.file.Path;

/**
 * The configurator's SSH key pair: where the private key lives (its content is never read into this
 * service's memory; ssh reads it) and the public key.
 */
public record KeyPair(Path privateKeyFile, PublicKey publicKey) {

  @Override
  public String toString() {
    return "KeyPair[privateKeyFile=" + privateKeyFile + ", publicKey=" + publicKey + "]";
  }
}
