package dev.goldsmith.hcloud.model;

import java.util.Map;

/** Body of {@code PUT /servers/{id}}. A null field is left unchanged; labels replace the set. */
public record UpdateServerRequest(String name, Map<String, String> labels) {

  public UpdateServerRequest {
    labels = labels == null ? null : Map.copyOf(labels);
  }

  /** Replaces the labels only. */
  public static UpdateServerRequest labels(Map<String, String> labels) {
    return new UpdateServerRequest(null, labels);
  }
}
