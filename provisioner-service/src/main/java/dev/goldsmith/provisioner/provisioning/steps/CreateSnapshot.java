package dev.goldsmith.provisioner.provisioning.steps;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;

import dev.goldsmith.events.BuildFailed;
import dev.goldsmith.events.Provenance;
import dev.goldsmith.hcloud.model.Image;
import dev.goldsmith.hcloud.model.ImageStatus;
import dev.goldsmith.provisioner.cloud.Cloud;
import dev.goldsmith.provisioner.provisioning.BuildRun;
import dev.goldsmith.provisioner.provisioning.Step;
import dev.goldsmith.provisioner.provisioning.StepOutcome;
import dev.goldsmith.support.cloud.GoldsmithLabels;
import dev.goldsmith.support.messaging.BuildMdc;

/**
 * Creates the candidate snapshot ({@code create_image} type snapshot, description {@code
 * <family>-<version>}), records its id before waiting on the action, then waits until the image is
 * {@code available}. A snapshot found by label is waited for instead of created again. Cleanup
 * deletes the snapshot when the run halted: a failed build's candidate is worthless.
 */
public final class CreateSnapshot implements Step {
  private final Cloud cloud;
  private final Duration timeout;
  private final Duration poll;

  public CreateSnapshot(Cloud cloud, Duration timeout, Duration poll) {
    this.cloud = cloud;
    this.timeout = timeout;
    this.poll = poll;
  }

  @Override
  public String name() {
    return "create-snapshot";
  }

  @Override
  public Uni<StepOutcome> run(BuildRun run) {
    Optional<Image> existing = run.image();
    if (existing.isPresent()) {
      run.provenance(fromLabels(run.provenance(), existing.get().labels()));
      return awaitAvailable(run, existing.get().id());
    }
    long serverId = run.serverId().orElseThrow();
    Image source = run.server().map(s -> s.image()).orElse(null);
    long baseImageId = source == null ? 0L : source.id();
    if (source != null) {
      run.provenance(
          Provenance.withSourceImage(
              run.provenance(),
              source.id() > 0 ? source.id() : null,
              source.name() != null ? source.name() : source.description()));
    }
    String description = run.spec().family() + "-" + run.spec().version();
    return cloud
        .createSnapshot(
            serverId,
            description,
            GoldsmithLabels.snapshot(run.buildId(), run.spec(), baseImageId, run.provenance()))
        .chain(
            created -> {
              // Record the id before waiting, so the cleanup can delete a half-made snapshot.
              run.image(created.image());
              BuildMdc.run(
                  run.buildId().toString(),
                  () ->
                      Log.infof(
                          "snapshot requested buildId=%s serverId=%d imageId=%d",
                          run.buildId(), serverId, created.image().id()));
              return cloud.waitFor(List.of(created.action()), timeout);
            })
        .chain(() -> awaitAvailable(run, run.imageId().getAsLong()));
  }

  /**
   * A snapshot found again (a redelivery after the builder went): its source image as its labels
   * recorded it, when the run does not know it.
   */
  static Provenance fromLabels(Provenance p, Map<String, String> labels) {
    if (p != null && p.sourceImageId() != null) {
      return p;
    }
    Long id = null;
    try {
      long parsed = Long.parseLong(labels.getOrDefault(GoldsmithLabels.BASE_IMAGE, ""));
      id = parsed > 0 ? parsed : null;
    } catch (NumberFormatException e) {
      // no usable id
    }
    String name = labels.get(GoldsmithLabels.SOURCE_IMAGE);
    if (id == null && name == null) {
      return p;
    }
    return Provenance.withSourceImage(p, id, name);
  }

  private Uni<StepOutcome> awaitAvailable(BuildRun run, long imageId) {
    return Cloud.pollUntil(
            () -> cloud.image(imageId),
            img -> img.isEmpty() || img.get().status() != ImageStatus.CREATING,
            poll,
            timeout,
            "snapshot available")
        .map(
            img -> {
              if (img.isEmpty()) {
                return StepOutcome.halt(
                    "snapshot_vanished", "snapshot " + imageId + " disappeared");
              }
              run.image(img.get());
              if (img.get().status() != ImageStatus.AVAILABLE) {
                return StepOutcome.halt(
                    "snapshot_unavailable",
                    "snapshot " + imageId + " is " + img.get().status().wireValue());
              }
              return StepOutcome.proceed();
            });
  }

  @Override
  public Uni<Void> cleanup(BuildRun run) {
    if (!run.halted() || run.imageId().isEmpty()) {
      return Uni.createFrom().voidItem();
    }
    long id = run.imageId().getAsLong();
    Log.infof("deleting snapshot of failed run imageId=%d buildId=%s", id, run.buildId());
    return cloud
        .deleteImage(id)
        .onFailure()
        .invoke(
            e ->
                run.leftBehind(
                    new BuildFailed.ResourceRef(BuildFailed.ResourceRef.Kind.IMAGE, id)));
  }
}
