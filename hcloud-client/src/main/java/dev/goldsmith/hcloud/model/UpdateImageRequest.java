package dev.goldsmith.hcloud.model;

import java.util.Map;

/**
 * Body of {@code PUT /images/{id}}. A null field is left unchanged; labels replace the whole set.
 *
 * @param type only {@link ImageType#SNAPSHOT} (converts a backup), or null
 */
public record UpdateImageRequest(String description, ImageType type, Map<String, String> labels) {

  public UpdateImageRequest {
    labels = labels == null ? null : Map.copyOf(labels);
  }

  /** Replaces the labels only. */
  public static UpdateImageRequest labels(Map<String, String> labels) {
    return new UpdateImageRequest(null, null, labels);
  }

  /** Changes the description only. */
  public static UpdateImageRequest description(String description) {
    return new UpdateImageRequest(description, null, null);
  }
}
