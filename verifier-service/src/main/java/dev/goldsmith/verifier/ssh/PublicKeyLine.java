package dev.goldsmith.verifier.ssh;

import java.util.Base64;
import java.util.Optional;
import java.util.Set;

/**
 * One public key as written in an {@code authorized_keys} file or an {@code .pub} file: optional
 * options, the key type, the base64 blob and an optional comment.
 *
 * @param options the options prefix (e.g. {@code no-pty,command="…"}), empty when absent
 * @param type e.g. {@code ssh-ed25519}
 * @param blob the decoded key blob
 * @param comment the comment, empty when absent
 */
public record PublicKeyLine(String options, String type, byte[] blob, String comment) {

  private static final Set<String> PLAIN_TYPES =
      Set.of("ssh-ed25519", "ssh-rsa", "ssh-dss", "sk-ssh-ed25519@openssh.com");

  /** True for a token that names a key type. */
  static boolean isKeyType(String token) {
    return PLAIN_TYPES.contains(token)
        || token.startsWith("ecdsa-sha2-")
        || token.startsWith("sk-ecdsa-sha2-")
        || token.endsWith("-cert-v01@openssh.com");
  }

  /** Parses a line; throws {@link IllegalArgumentException} when it holds no key. */
  public static PublicKeyLine parse(String line) {
    return tryParse(line)
        .orElseThrow(() -> new IllegalArgumentException("not an OpenSSH public key line"));
  }

  /**
   * Parses one line of an {@code authorized_keys} file; empty for blank lines, comments and lines
   * without a recognisable key.
   */
  public static Optional<PublicKeyLine> tryParse(String line) {
    if (line == null) {
      return Optional.empty();
    }
    String l = line.strip();
    if (l.isEmpty() || l.startsWith("#")) {
      return Optional.empty();
    }
    // Options may contain quoted spaces; the key type is the first token (outside quotes) that
    // names a key type.
    int i = 0;
    boolean quoted = false;
    int tokenStart = 0;
    while (i <= l.length()) {
      char c = i < l.length() ? l.charAt(i) : ' ';
      if (c == '"') {
        quoted = !quoted;
      } else if (!quoted && Character.isWhitespace(c)) {
        String token = l.substring(tokenStart, i);
        if (isKeyType(token)) {
          String rest = l.substring(i).strip();
          String[] parts = rest.split("\\s+", 2);
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
          return Optional.of(
              new PublicKeyLine(options, token, blob, parts.length > 1 ? parts[1].strip() : ""));
        }
        while (i + 1 < l.length() && Character.isWhitespace(l.charAt(i + 1))) {
          i++;
        }
        tokenStart = i + 1;
      }
      i++;
    }
    return Optional.empty();
  }

  /** The line without options and comment: {@code <type> <base64>}. */
  public String keyOnly() {
    return type + " " + Base64.getEncoder().encodeToString(blob);
  }

  /** The MD5 fingerprint (colon-separated hex), as Hetzner shows it. */
  public String md5Fingerprint() {
    return OpenSshKeyPair.md5Fingerprint(blob);
  }

  /** Same key material (type and blob), whatever the options and comments. */
  public boolean sameKey(PublicKeyLine other) {
    return other != null && type.equals(other.type) && java.util.Arrays.equals(blob, other.blob);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PublicKeyLine p
        && options.equals(p.options)
        && sameKey(p)
        && comment.equals(p.comment);
  }

  @Override
  public int hashCode() {
    return java.util.Arrays.hashCode(blob) * 31 + type.hashCode();
  }

  @Override
  public String toString() {
    return keyOnly() + (comment.isEmpty() ? "" : " " + comment);
  }
}
