package dev.goldsmith.hcloud.model;

import java.util.Map;

/** Body of {@code PUT /ssh_keys/{id}}. A null field is left unchanged; labels replace the set. */
public record UpdateSshKeyRequest(String name, Map<String, String> labels) {

  public UpdateSshKeyRequest {
    labels = labels == null ? null : Map.copyOf(labels);
  }
}
