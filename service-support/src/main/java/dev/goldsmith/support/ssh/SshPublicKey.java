package dev.goldsmith.support.ssh;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

import net.schmizz.sshj.common.Buffer;
import net.schmizz.sshj.common.KeyType;
import net.schmizz.sshj.common.SSHException;

/**
 * One SSH public key as an OpenSSH line ({@code [options] <type> <base64 blob> [comment]}, as in
 * {@code authorized_keys} and {@code .pub} files), with the fingerprints Hetzner and {@code
 * ssh-keygen} show. Public material only.
 *
 * @param options the options prefix (e.g. {@code no-pty,command="…"}), empty when absent
 * @param type the key type, e.g. {@code ssh-ed25519}
 * @param blob the decoded key blob (SSH wire encoding)
 * @param comment the comment, empty when absent
 */
public record SshPublicKey(String options, String type, byte[] blob, String comment) {

  private static final Set<String> PLAIN_TYPES =
      Set.of("ssh-ed25519", "ssh-rsa", "ssh-dss", "sk-ssh-ed25519@openssh.com");

  public SshPublicKey {
    options = options == null ? "" : options;
    Objects.requireNonNull(type, "type");
    blob = Objects.requireNonNull(blob, "blob").clone();
    comment = comment == null ? "" : comment.replaceAll("[\\r\\n]", " ").strip();
  }

  /** The public half of a JDK key, encoded by sshj (type and wire blob). */
  public static SshPublicKey of(PublicKey key, String comment) {
    byte[] blob = new Buffer.PlainBuffer().putPublicKey(key).getCompactData();
    return new SshPublicKey("", KeyType.fromKey(key).toString(), blob, comment);
  }

  /**
   * Parses one public key line.
   *
   * @throws IllegalArgumentException when the line holds no key
   */
  public static SshPublicKey parse(String line) {
    return tryParse(line)
        .orElseThrow(() -> new IllegalArgumentException("not an OpenSSH public key line"));
  }

  /**
   * Parses one line of an {@code authorized_keys} file; empty for blank lines, comments and lines
   * without a recognisable key.
   */
  public static Optional<SshPublicKey> tryParse(String line) {
    if (line == null) {
      return Optional.empty();
    }
    String l = line.strip();
    if (l.isEmpty() || l.startsWith("#")) {
      return Optional.empty();
    }
    // Options may contain quoted spaces; the key type is the first token outside quotes that names
    // a key type.
    boolean quoted = false;
    int tokenStart = 0;
    for (int i = 0; i <= l.length(); i++) {
      char c = i < l.length() ? l.charAt(i) : ' ';
      if (c == '"') {
        quoted = !quoted;
      } else if (!quoted && Character.isWhitespace(c)) {
        String token = l.substring(tokenStart, i);
        if (isKeyType(token)) {
          return keyAfter(l, tokenStart, i, token);
        }
        while (i + 1 < l.length() && Character.isWhitespace(l.charAt(i + 1))) {
          i++;
        }
        tokenStart = i + 1;
      }
    }
    return Optional.empty();
  }

  private static Optional<SshPublicKey> keyAfter(String l, int tokenStart, int end, String type) {
    String[] parts = l.substring(end).strip().split("\\s+", 2);
    if (parts[0].isEmpty()) {
      return Optional.empty();
    }
    byte[] blob;
    try {
      blob = Base64.getDecoder().decode(parts[0]);
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
    String options = l.substring(0, tokenStart).strip();
    return Optional.of(new SshPublicKey(options, type, blob, parts.length > 1 ? parts[1] : ""));
  }

  /** True for a token that names a key type. */
  static boolean isKeyType(String token) {
    return PLAIN_TYPES.contains(token)
        || token.startsWith("ecdsa-sha2-")
        || token.startsWith("sk-ecdsa-sha2-")
        || token.endsWith("-cert-v01@openssh.com");
  }

  @Override
  public byte[] blob() {
    return blob.clone();
  }

  /** {@code <type> <base64>}: what Hetzner and authorized_keys compare (no options, no comment). */
  public String keyOnly() {
    return type + " " + Base64.getEncoder().encodeToString(blob);
  }

  /** {@code <type> <base64> [comment]}, as a {@code .pub} file holds it (options dropped). */
  public String line() {
    return comment.isEmpty() ? keyOnly() : keyOnly() + " " + comment;
  }

  /** The key as a JDK key, decoded by sshj; fails for types sshj does not know. */
  public PublicKey toJavaKey() {
    try {
      return new Buffer.PlainBuffer(blob).readPublicKey();
    } catch (SSHException e) {
      throw new IllegalArgumentException("cannot decode " + type + " key: " + e.getMessage(), e);
    }
  }

  /** MD5 of the blob as colon-separated lower-case hex: what the Hetzner API shows and filters. */
  public String md5Fingerprint() {
    return HexFormat.ofDelimiter(":").formatHex(digest("MD5"));
  }

  /** {@code SHA256:<base64 without padding>}, as {@code ssh-keygen -l} prints it. */
  public String sha256Fingerprint() {
    return "SHA256:" + Base64.getEncoder().withoutPadding().encodeToString(digest("SHA-256"));
  }

  /** The Hetzner SSH key name: {@code goldsmith-<service>-<first 12 hex digits of the MD5>}. */
  public String hetznerName(String service) {
    return "goldsmith-" + service + "-" + md5Fingerprint().replace(":", "").substring(0, 12);
  }

  /** Same key material (type and blob), whatever the options and comments. */
  public boolean sameKey(SshPublicKey other) {
    return other != null && type.equals(other.type) && Arrays.equals(blob, other.blob);
  }

  private byte[] digest(String algorithm) {
    try {
      return MessageDigest.getInstance(algorithm).digest(blob);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(algorithm + " is not available", e);
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SshPublicKey p
        && options.equals(p.options)
        && sameKey(p)
        && comment.equals(p.comment);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(blob) * 31 + type.hashCode();
  }

  @Override
  public String toString() {
    return type + " " + sha256Fingerprint() + (comment.isEmpty() ? "" : " " + comment);
  }
}
