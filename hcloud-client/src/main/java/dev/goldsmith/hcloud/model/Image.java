package dev.goldsmith.hcloud.model;

import java.time.OffsetDateTime;
import java.util.Map;

/**
 * An image: a system or app image, a snapshot or a backup.
 *
 * @param name null for snapshots and backups
 * @param imageSize GB; null for system images and while a snapshot is being created
 * @param createdFrom the source server of a snapshot or backup, else null
 * @param boundTo server id of a backup, else null
 * @param deprecated null unless deprecated
 * @param deleted null unless deleted
 */
public record Image(
    long id,
    ImageType type,
    ImageStatus status,
    String name,
    String description,
    Double imageSize,
    Double diskSize,
    OffsetDateTime created,
    CreatedFrom createdFrom,
    Long boundTo,
    String osFlavor,
    String osVersion,
    boolean rapidDeploy,
    Protection protection,
    OffsetDateTime deprecated,
    OffsetDateTime deleted,
    Map<String, String> labels,
    Architecture architecture) {

  public Image {
    labels = labels == null ? Map.of() : Map.copyOf(labels);
  }

  /** The server an image was created from. */
  public record CreatedFrom(long id, String name) {}
}
