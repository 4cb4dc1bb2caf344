package dev.goldsmith.events;

/** Shapes of names that end up in Hetzner labels, server names and image descriptions. */
public final class Patterns {
  /** A family: lower-case, starts with a letter, usable in a hostname and a label value. */
  public static final String FAMILY = "^[a-z][a-z0-9-]{0,38}[a-z0-9]$";

  /** A version: a valid label value, e.g. {@code 20261125-v3}. */
  public static final String VERSION = "^[A-Za-z0-9]([A-Za-z0-9._-]{0,61}[A-Za-z0-9])?$";

  /** What the registry allocates: {@code <yyyyMMdd>-v<n>}. */
  public static final String ALLOCATED_VERSION = "^[0-9]{8}-v[1-9][0-9]*$";

  /** An installation id: a valid label value, e.g. a UUID. */
  public static final String INSTALLATION_ID = "^[A-Za-z0-9]([A-Za-z0-9._-]{0,61}[A-Za-z0-9])?$";

  /** A Linux user name. */
  public static final String USER = "^[a-z_][a-z0-9_-]{0,31}$";

  /** A command name as typed at a shell prompt. */
  public static final String BINARY = "^[A-Za-z0-9._+-]{1,64}$";

  /** An Ansible variable name. */
  public static final String VARIABLE = "^[A-Za-z_][A-Za-z0-9_]{0,63}$";

  /**
   * A public SSH host key as a known_hosts or {@code .pub} file holds it, without a comment: the
   * key type and its base64 blob, nothing else (no newline, no options), so it can be written into
   * a known_hosts line as data.
   */
  public static final String HOST_KEY =
      "^(ssh-ed25519|ecdsa-sha2-nistp256|ecdsa-sha2-nistp384|ecdsa-sha2-nistp521|ssh-rsa)"
          + " [A-Za-z0-9+/]{16,2048}={0,2}$";

  /** A failure class: lower-case words joined by underscores, e.g. {@code host_key_mismatch}. */
  public static final String REASON_CLASS = "^[a-z][a-z0-9_]{0,63}$";

  /** A SHA-256 digest as 64 lower-case hex digits. */
  public static final String SHA256 = "^[0-9a-f]{64}$";

  /** A git commit id (SHA-1 or SHA-256 object format), or {@code unknown}. */
  public static final String GIT_REVISION = "^([0-9a-f]{40}|[0-9a-f]{64}|unknown)$";

  private Patterns() {}
}
