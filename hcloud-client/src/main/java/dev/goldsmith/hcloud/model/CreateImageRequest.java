package dev.goldsmith.hcloud.model;

import java.util.Map;

/**
 * Body of {@code POST /servers/{id}/actions/create_image}.
 *
 * @param type {@link ImageType#SNAPSHOT} (the default when null) or {@link ImageType#BACKUP}
 * @param description nullable; the API generates one when absent
 * @param labels nullable
 */
public record CreateImageRequest(ImageType type, String description, Map<String, String> labels) {

  public CreateImageRequest {
    labels = labels == null ? null : Map.copyOf(labels);
  }

  /** A snapshot with a description and labels. */
  public static CreateImageRequest snapshot(String description, Map<String, String> labels) {
    return new CreateImageRequest(ImageType.SNAPSHOT, description, labels);
  }
}
