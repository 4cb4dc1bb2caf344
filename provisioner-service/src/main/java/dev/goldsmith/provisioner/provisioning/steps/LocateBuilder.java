package dev.goldsmith.provisioner.provisioning.steps;

import java.time.Duration;
import java.util.Comparator;
import java.util.List;

import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;

import dev.goldsmith.hcloud.model.Image;
import dev.goldsmith.hcloud.model.Server;
import dev.goldsmith.hcloud.model.ServerStatus;
import dev.goldsmith.provisioner.cloud.Cloud;
import dev.goldsmith.provisioner.hostkeys.BuilderHostKeys;
import dev.goldsmith.provisioner.provisioning.BuildRun;
import dev.goldsmith.provisioner.provisioning.Step;
import dev.goldsmith.provisioner.provisioning.StepOutcome;
import dev.goldsmith.support.messaging.BuildMdc;

/**
 * Looks up the build's snapshot and builder by their build-id labels, so a redelivered or resumed
 * BuilderConfigured continues where the last run stopped. In strict mode (the snapshot flow) a
 * build with neither halts with {@code builder_missing}. Cleanup deletes the builder when the run
 * halted, so a failed build leaves no server.
 */
public final class LocateBuilder implements Step {
  private final Cloud cloud;
  private final BuilderHostKeys hostKeys;
  private final boolean strict;
  private final Duration cleanupTimeout;
  private final Duration poll;

  public LocateBuilder(
      Cloud cloud,
      BuilderHostKeys hostKeys,
      boolean strict,
      Duration cleanupTimeout,
      Duration poll) {
    this.cloud = cloud;
    this.hostKeys = hostKeys;
    this.strict = strict;
    this.cleanupTimeout = cleanupTimeout;
    this.poll = poll;
  }

  @Override
  public String name() {
    return "locate-builder";
  }

  @Override
  public Uni<StepOutcome> run(BuildRun run) {
    Uni<List<Image>> snapshots =
        strict ? cloud.findSnapshots(run.buildId()) : Uni.createFrom().item(List.of());
    return snapshots.chain(
        images ->
            cloud
                .findBuilders(run.buildId())
                .map(
                    servers -> {
                      images.stream()
                          .min(Comparator.comparingLong(Image::id))
                          .ifPresent(
                              image -> {
                                run.image(image);
                                run.snapshotReused(true);
                                BuildMdc.run(
                                    run.buildId().toString(),
                                    () ->
                                        Log.infof(
                                            "snapshot exists, continuing buildId=%s imageId=%d"
                                                + " status=%s",
                                            run.buildId(), image.id(), image.status()));
                              });
                      List<Server> alive =
                          servers.stream()
                              .filter(s -> s.status() != ServerStatus.DELETING)
                              .sorted(Comparator.comparingLong(Server::id))
                              .toList();
                      if (!alive.isEmpty()) {
                        run.server(alive.get(0));
                      }
                      if (strict && alive.isEmpty() && images.isEmpty()) {
                        return StepOutcome.halt(
                            "builder_missing",
                            "no builder and no snapshot labelled with build " + run.buildId());
                      }
                      return StepOutcome.proceed();
                    }));
  }

  @Override
  public Uni<Void> cleanup(BuildRun run) {
    return BuilderCleanup.deleteIfHalted(cloud, hostKeys, run, cleanupTimeout, poll);
  }
}
