package dev.goldsmith.registry.cloud;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.logging.Log;

import dev.goldsmith.events.Ownership;
import dev.goldsmith.hcloud.HcloudClient;
import dev.goldsmith.hcloud.error.HcloudApiException;
import dev.goldsmith.hcloud.error.HcloudErrorCode;
import dev.goldsmith.hcloud.label.LabelSelector;
import dev.goldsmith.hcloud.model.Action;
import dev.goldsmith.hcloud.model.Image;
import dev.goldsmith.hcloud.model.ImageQuery;
import dev.goldsmith.hcloud.model.ImageType;
import dev.goldsmith.hcloud.model.ServerType;
import dev.goldsmith.support.cloud.GoldsmithLabels;

/**
 * What the registry does on Hetzner, over {@link HcloudClient}. Blocking: call from worker threads
 * only. The client owns retries; this adapter adds none.
 */
@ApplicationScoped
public class RegistryCloud {
  public static final String LABEL_MANAGED = Ownership.MANAGED;
  public static final String LABEL_INSTALLATION = Ownership.INSTALLATION;
  public static final String LABEL_FAMILY = GoldsmithLabels.FAMILY;
  public static final String LABEL_BUILD_ID = GoldsmithLabels.BUILD_ID;

  private final HcloudClient hcloud;

  public RegistryCloud(HcloudClient hcloud) {
    this.hcloud = hcloud;
  }

  /** Problems with a server type and location pair, empty when both exist and fit together. */
  public List<String> checkPlacement(String serverType, String location) {
    java.util.ArrayList<String> errors = new java.util.ArrayList<>();
    Optional<ServerType> type = hcloud.serverTypes().getByNameAndAwait(serverType);
    boolean locationExists = hcloud.locations().getByNameAndAwait(location).isPresent();
    if (type.isEmpty()) {
      errors.add("serverType: '" + serverType + "' does not exist");
    }
    if (!locationExists) {
      errors.add("location: '" + location + "' does not exist");
    }
    if (type.isPresent() && locationExists) {
      ServerType t = type.get();
      boolean listed =
          t.locations().isEmpty()
              ? t.prices().stream().anyMatch(p -> location.equals(p.location()))
              : t.locations().stream()
                  .anyMatch(l -> location.equals(l.name()) && !Boolean.FALSE.equals(l.available()));
      if (!listed && !(t.locations().isEmpty() && t.prices().isEmpty())) {
        errors.add(
            "serverType: '" + serverType + "' is not available in location '" + location + "'");
      }
    }
    return errors;
  }

  /** The image, empty when it does not exist (or is deleted). */
  public Optional<Image> image(long id) {
    return hcloud.images().getAndAwait(id).filter(i -> i.deleted() == null);
  }

  /**
   * The family's snapshots this installation owns: {@code managed=true}, {@code installation=<id>}
   * and the family label. The only snapshots retention may touch.
   */
  public List<Image> ownedFamilySnapshots(String family, String installationId) {
    String selector =
        LabelSelector.builder()
            .eq(LABEL_MANAGED, GoldsmithLabels.TRUE)
            .eq(LABEL_INSTALLATION, installationId)
            .eq(LABEL_FAMILY, family)
            .build()
            .toString();
    return snapshots(selector);
  }

  /**
   * Snapshots labelled with the family that this installation does not own (no {@code
   * managed=true}, or another installation's id): reported, never modified.
   */
  public List<Image> foreignFamilySnapshots(String family, String installationId) {
    String selector = LabelSelector.builder().eq(LABEL_FAMILY, family).build().toString();
    return snapshots(selector).stream()
        .filter(i -> !Ownership.owned(i.labels(), installationId))
        .toList();
  }

  private List<Image> snapshots(String selector) {
    return hcloud
        .images()
        .allAndAwait(ImageQuery.all().withType(ImageType.SNAPSHOT).withLabelSelector(selector));
  }

  /** What {@link #markPromoted} found and did. */
  public enum Marked {
    /** The image does not exist. */
    MISSING,
    /** Labelled; delete protection enabled by this call. */
    PROTECTED_NOW,
    /** Labelled; delete protection was on already. */
    WAS_PROTECTED
  }

  /**
   * Labels the image {@code goldsmith.dev/promoted=true} (state promoted) and, when {@code
   * reportSha256} is known, {@code goldsmith.dev/report-sha256}, keeping every other label; then
   * enables its delete protection. Idempotent.
   */
  public Marked markPromoted(long imageId, String reportSha256) {
    Optional<Image> image = image(imageId);
    if (image.isEmpty()) {
      return Marked.MISSING;
    }
    Map<String, String> labels = image.get().labels();
    Map<String, String> wanted =
        GoldsmithLabels.withReport(GoldsmithLabels.promoted(labels), reportSha256);
    if (!wanted.equals(labels)) {
      hcloud.images().updateLabelsAndAwait(imageId, wanted);
    }
    if (image.get().protection() == null || !image.get().protection().delete()) {
      waitFor(hcloud.images().changeProtectionAndAwait(imageId, true));
      return Marked.PROTECTED_NOW;
    }
    return Marked.WAS_PROTECTED;
  }

  /** What {@link #deleteImage} did. */
  public enum Deletion {
    DELETED,
    ALREADY_GONE,
    /** Someone else protected it: left alone (Goldsmith lifts only protections it set). */
    PROTECTED_BY_OTHERS,
    /** Not this installation's (labels changed since it was selected): left alone. */
    NOT_OWNED
  }

  /**
   * Deletes an image this installation owns. Its delete protection is lifted only when {@code
   * protectionIsOurs} (Goldsmith enabled it); otherwise a protected image is left alone.
   */
  public Deletion deleteImage(long imageId, String installationId, boolean protectionIsOurs) {
    Optional<Image> image = image(imageId);
    if (image.isEmpty()) {
      return Deletion.ALREADY_GONE;
    }
    if (!Ownership.owned(image.get().labels(), installationId)) {
      Log.warnf("image not deleted: not this installation's image_id=%d", imageId);
      return Deletion.NOT_OWNED;
    }
    if (image.get().protection() != null && image.get().protection().delete()) {
      if (!protectionIsOurs) {
        Log.warnf("image not deleted: delete protection not set by Goldsmith image_id=%d", imageId);
        return Deletion.PROTECTED_BY_OTHERS;
      }
      waitFor(hcloud.images().changeProtectionAndAwait(imageId, false));
    }
    try {
      hcloud.images().deleteAndAwait(imageId);
    } catch (HcloudApiException e) {
      if (e.is(HcloudErrorCode.NOT_FOUND)) {
        return Deletion.ALREADY_GONE;
      }
      throw e;
    }
    Log.infof("image deleted image_id=%d", imageId);
    return Deletion.DELETED;
  }

  private void waitFor(Action action) {
    if (action != null) {
      hcloud.actions().waitForAndAwait(action);
    }
  }
}
