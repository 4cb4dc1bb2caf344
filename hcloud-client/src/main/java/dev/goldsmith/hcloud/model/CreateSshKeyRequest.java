package dev.goldsmith.hcloud.model;

import java.util.Map;
import java.util.Objects;

/** Body of {@code POST /ssh_keys}. */
public record CreateSshKeyRequest(String name, String publicKey, Map<String, String> labels) {

  public CreateSshKeyRequest {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(publicKey, "publicKey");
    labels = labels == null ? Map.of() : Map.copyOf(labels);
  }
}
