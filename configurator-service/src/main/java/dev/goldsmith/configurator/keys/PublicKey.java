package dev.goldsmith.configurator.keys;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Objects;

/**
 * An OpenSSH public key line ({@code <type> <base64 blob> [comment]}) and its fingerprints. Public
 * material only.
 *
 * @param type key type, e.g. {@code ssh-ed25519}
 * @param blob the base64 key blob
 * @param comment the comment, possibly empty
 */
public record PublicKey(String type, String blob, String comment) {

  public PublicKey {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(blob, "blob");
    comment = comment == null ? "" : comment;
  }

  /** Parses one public key line; throws IllegalArgumentException when it is not one. */
  public static PublicKey parse(String line) {
    if (line == null) {
      throw new IllegalArgumentException("public key is missing");
    }
    String[] parts = line.trim().split("\\s+", 3);
    if (parts.length < 2 || !parts[0].matches("(ssh|ecdsa|sk)-[A-Za-z0-9@.\\-]+")) {
      throw new IllegalArgumentException("not an OpenSSH public key line");
    }
    try {
      Base64.getDecoder().decode(parts[1]);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("public key blob is not base64", e);
    }
    return new PublicKey(parts[0], parts[1], parts.length == 3 ? parts[2] : "");
  }

  /** {@code <type> <blob>}: what Hetzner and authorized_keys compare, without the comment. */
  public String typeAndBlob() {
    return type + " " + blob;
  }

  /** The full line, with the comment when there is one. */
  public String line() {
    return comment.isEmpty() ? typeAndBlob() : typeAndBlob() + " " + comment;
  }

  /**
   * MD5 of the blob as colon-separated hex: the fingerprint the Hetzner API shows and filters by.
   */
  public String md5Fingerprint() {
    byte[] digest = digest("MD5");
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < digest.length; i++) {
      if (i > 0) {
        out.append(':');
      }
      out.append(HexFormat.of().toHexDigits(digest[i]));
    }
    return out.toString();
  }

  /** {@code SHA256:<base64 without padding>}, as ssh-keygen -l prints it. */
  public String sha256Fingerprint() {
    return "SHA256:" + Base64.getEncoder().withoutPadding().encodeToString(digest("SHA-256"));
  }

  /** The Hetzner SSH key name: {@code goldsmith-<service>-<first 12 hex digits of the MD5>}. */
  public String hetznerName(String service) {
    return "goldsmith-" + service + "-" + md5Fingerprint().replace(":", "").substring(0, 12);
  }

  private byte[] digest(String algorithm) {
    try {
      return MessageDigest.getInstance(algorithm).digest(Base64.getDecoder().decode(blob));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(algorithm + " is not available", e);
    }
  }

  @Override
  public String toString() {
    return type + " " + sha256Fingerprint() + (comment.isEmpty() ? "" : " " + comment);
  }

  /** UTF-8 bytes of the full line plus a newline, as written to a .pub file. */
  byte[] fileBytes() {
    return (line() + "\n").getBytes(StandardCharsets.UTF_8);
  }
}
