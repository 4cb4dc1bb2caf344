package dev.goldsmith.hcloud.model;

import java.time.OffsetDateTime;
import java.util.Map;

/**
 * An SSH public key stored in the project.
 *
 * @param fingerprint MD5 of the key blob, colon-separated hex
 */
public record SshKey(
    long id,
    String name,
    String fingerprint,
    String publicKey,
    Map<String, String> labels,
    OffsetDateTime created) {

  public SshKey {
    labels = labels == null ? Map.of() : Map.copyOf(labels);
  }
}
