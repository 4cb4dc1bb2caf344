package dev.goldsmith.hcloud.it;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;

/** Fresh Ed25519 public keys in OpenSSH form, and their MD5 fingerprints, for the ITs. */
final class SshKeys {

  private SshKeys() {}

  /** A new {@code ssh-ed25519 AAAA… comment} line. */
  static String newPublicKey(String comment) {
    try {
      byte[] x509 =
          KeyPairGenerator.getInstance("Ed25519").generateKeyPair().getPublic().getEncoded();
      byte[] raw = Arrays.copyOfRange(x509, x509.length - 32, x509.length);
      ByteArrayOutputStream blob = new ByteArrayOutputStream();
      DataOutputStream out = new DataOutputStream(blob);
      byte[] type = "ssh-ed25519".getBytes(StandardCharsets.US_ASCII);
      out.writeInt(type.length);
      out.write(type);
      out.writeInt(raw.length);
      out.write(raw);
      return "ssh-ed25519 "
          + Base64.getEncoder().encodeToString(blob.toByteArray())
          + " "
          + comment;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** MD5 of the key blob, colon-separated hex (what the API calls the fingerprint). */
  static String md5Fingerprint(String publicKey) {
    try {
      byte[] blob = Base64.getDecoder().decode(publicKey.trim().split("\\s+")[1]);
      byte[] md5 = MessageDigest.getInstance("MD5").digest(blob);
      return HexFormat.ofDelimiter(":").formatHex(md5);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
