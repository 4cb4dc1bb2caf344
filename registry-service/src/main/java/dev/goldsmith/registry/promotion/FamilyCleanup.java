package dev.goldsmith.registry.promotion;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.quarkus.narayana.jta.QuarkusTransaction;

import dev.goldsmith.hcloud.model.Image;
import dev.goldsmith.hcloud.model.ImageStatus;
import dev.goldsmith.registry.cloud.RegistryCloud;
import dev.goldsmith.registry.domain.ImageVersion;
import dev.goldsmith.registry.domain.ImageVersionRepository;
import dev.goldsmith.registry.installation.Installation;

/**
 * Applies {@link RetentionPolicy} to a family: reads its versions and the snapshots this
 * installation owns, deletes what the policy lets go, and records on each version why its snapshot
 * is gone. Snapshots of the family that this installation does not own are never selected.
 */
@ApplicationScoped
public class FamilyCleanup {
  private final ImageVersionRepository versions;
  private final PromotionService promotions;
  private final RegistryCloud cloud;
  private final Installation installation;
  private final MeterRegistry metrics;
  private final Clock clock;

  public FamilyCleanup(
      ImageVersionRepository versions,
      PromotionService promotions,
      RegistryCloud cloud,
      Installation installation,
      MeterRegistry metrics,
      Clock clock) {
    this.versions = versions;
    this.promotions = promotions;
    this.cloud = cloud;
    this.installation = installation;
    this.metrics = metrics;
    this.clock = clock;
  }

  /** Runs retention for a family. */
  public void clean(String family) {
    String id = installation.id();
    List<RetentionPolicy.OwnedSnapshot> owned = new ArrayList<>();
    for (Image image : cloud.ownedFamilySnapshots(family, id)) {
      owned.add(
          new RetentionPolicy.OwnedSnapshot(
              image.id(),
              image.labels().get(RegistryCloud.LABEL_BUILD_ID),
              image.status() == ImageStatus.CREATING));
    }
    Facts facts = QuarkusTransaction.requiringNew().call(() -> facts(family));
    List<RetentionPolicy.Decision> decisions =
        RetentionPolicy.decide(facts.versions(), owned, facts.keepPrevious());
    List<Long> deleted = new ArrayList<>();
    for (RetentionPolicy.Decision d : decisions) {
      if (!d.keep()) {
        if (delete(d.imageId(), d.reason())) {
          deleted.add(d.imageId());
        }
      }
    }
    Log.infof(
        "family cleaned family=%s keep_previous=%d deleted=%s decisions=%s",
        family, facts.keepPrevious(), deleted, decisions);
  }

  private record Facts(List<RetentionPolicy.VersionFacts> versions, int keepPrevious) {}

  private Facts facts(String family) {
    List<RetentionPolicy.VersionFacts> out = new ArrayList<>();
    ImageVersion newest = null;
    for (ImageVersion v : versions.ofFamily(family)) {
      out.add(
          new RetentionPolicy.VersionFacts(
              v.version, v.buildId.toString(), v.status, v.imageId, v.hasImage(), v.supersededAt));
      if (newest == null || VersionOrder.higher(v, newest)) {
        newest = v;
      }
    }
    int keep =
        versions
            .promoted(family)
            .map(p -> promotions.keepPrevious(p.buildId))
            .orElse(newest == null ? 0 : promotions.keepPrevious(newest.buildId));
    return new Facts(out, keep);
  }

  /**
   * Deletes one owned snapshot and records it on its version; a protection Goldsmith did not set is
   * never lifted.
   *
   * @return true when the image is gone now
   */
  public boolean delete(long imageId, String why) {
    boolean ours =
        QuarkusTransaction.requiringNew()
            .call(
                () ->
                    versions
                        .find("imageId", imageId)
                        .firstResultOptional()
                        .map(v -> v.protectionSetAt != null)
                        .orElse(false));
    RegistryCloud.Deletion result = cloud.deleteImage(imageId, installation.id(), ours);
    switch (result) {
      case DELETED, ALREADY_GONE -> {
        QuarkusTransaction.requiringNew().run(() -> promotions.snapshotGone(imageId, why));
        if (result == RegistryCloud.Deletion.DELETED) {
          metrics.counter("goldsmith.registry.image.deletions").increment();
        }
        return true;
      }
      default -> {
        Log.warnf(
            "snapshot left in place image_id=%d result=%s (at %s)",
            imageId, result, clock.instant());
        return false;
      }
    }
  }
}
