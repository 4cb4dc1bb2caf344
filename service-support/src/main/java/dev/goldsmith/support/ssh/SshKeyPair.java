package dev.goldsmith.support.ssh;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;

/**
 * An Ed25519 key pair in OpenSSH formats: the private key as an unencrypted {@code openssh-key-v1}
 * block (what {@code ssh-keygen -t ed25519 -N ''} writes; OpenSSH, cloud-init and sshj read it) and
 * the public key. sshj reads this format but cannot write it, so the encoding is done here. The
 * private key is a secret: {@link #toString()} never shows it.
 *
 * @param privateKeyPem the {@code -----BEGIN OPENSSH PRIVATE KEY-----} block
 * @param publicKey the public key
 */
public record SshKeyPair(String privateKeyPem, SshPublicKey publicKey) {

  private static final String KEY_TYPE = "ssh-ed25519";
  private static final byte[] MAGIC = "openssh-key-v1\0".getBytes(StandardCharsets.US_ASCII);
  private static final SecureRandom RANDOM = new SecureRandom();

  /** Generates a fresh Ed25519 pair with the JDK's provider. */
  public static SshKeyPair generateEd25519(String comment) {
    KeyPair kp;
    try {
      kp = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("Ed25519 is not available in this JDK", e);
    }
    // X.509 SubjectPublicKeyInfo and PKCS#8 encodings of Ed25519 end with the 32 raw key bytes.
    byte[] x509 = kp.getPublic().getEncoded();
    byte[] pkcs8 = kp.getPrivate().getEncoded();
    byte[] pub = Arrays.copyOfRange(x509, x509.length - 32, x509.length);
    byte[] seed = Arrays.copyOfRange(pkcs8, pkcs8.length - 32, pkcs8.length);
    try {
      return fromRaw(seed, pub, comment);
    } finally {
      Arrays.fill(seed, (byte) 0);
      Arrays.fill(pkcs8, (byte) 0);
    }
  }

  /** Both encodings from the raw 32-byte seed and public key. */
  static SshKeyPair fromRaw(byte[] seed, byte[] pub, String comment) {
    SshPublicKey publicKey =
        new SshPublicKey(
            "", KEY_TYPE, new SshBuffer().putString(KEY_TYPE).putBytes(pub).bytes(), comment);
    SshBuffer priv = new SshBuffer();
    int check = RANDOM.nextInt();
    priv.putInt(check).putInt(check).putString(KEY_TYPE).putBytes(pub);
    byte[] secret = new byte[64];
    System.arraycopy(seed, 0, secret, 0, 32);
    System.arraycopy(pub, 0, secret, 32, 32);
    priv.putBytes(secret).putString(publicKey.comment());
    Arrays.fill(secret, (byte) 0);
    for (int pad = 1; priv.size() % 8 != 0; pad++) {
      priv.putByte(pad);
    }
    SshBuffer out = new SshBuffer();
    out.putRaw(MAGIC).putString("none").putString("none").putString("").putInt(1);
    out.putBytes(publicKey.blob()).putBytes(priv.bytes());
    priv.wipe();
    String b64 = Base64.getEncoder().encodeToString(out.bytes());
    out.wipe();
    StringBuilder pem = new StringBuilder("-----BEGIN OPENSSH PRIVATE KEY-----\n");
    for (int i = 0; i < b64.length(); i += 70) {
      pem.append(b64, i, Math.min(b64.length(), i + 70)).append('\n');
    }
    pem.append("-----END OPENSSH PRIVATE KEY-----\n");
    return new SshKeyPair(pem.toString(), publicKey);
  }

  @Override
  public String toString() {
    return "SshKeyPair[public=" + publicKey + ", private=<redacted>]";
  }

  /** Minimal SSH wire buffer: big-endian uint32 and length-prefixed strings. */
  private static final class SshBuffer {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    SshBuffer putInt(int v) {
      out.write(v >>> 24);
      out.write(v >>> 16);
      out.write(v >>> 8);
      out.write(v);
      return this;
    }

    SshBuffer putByte(int v) {
      out.write(v);
      return this;
    }

    SshBuffer putRaw(byte[] b) {
      out.write(b, 0, b.length);
      return this;
    }

    SshBuffer putBytes(byte[] b) {
      return putInt(b.length).putRaw(b);
    }

    SshBuffer putString(String s) {
      return putBytes(s.getBytes(StandardCharsets.UTF_8));
    }

    int size() {
      return out.size();
    }

    byte[] bytes() {
      return out.toByteArray();
    }

    void wipe() {
      out.reset();
    }
  }
}
