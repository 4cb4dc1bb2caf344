package dev.goldsmith.provisioner.provisioning.steps;

import java.time.Duration;

import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;

import dev.goldsmith.events.BuildFailed;
import dev.goldsmith.provisioner.cloud.Cloud;
import dev.goldsmith.provisioner.hostkeys.BuilderHostKeys;
import dev.goldsmith.provisioner.provisioning.BuildRun;

/** Deletes a halted run's builder and waits until it is gone; shared by the steps that own it. */
final class BuilderCleanup {
  private BuilderCleanup() {}

  static Uni<Void> deleteIfHalted(
      Cloud cloud, BuilderHostKeys hostKeys, BuildRun run, Duration timeout, Duration poll) {
    if (!run.halted() || run.serverId().isEmpty()) {
      return Uni.createFrom().voidItem();
    }
    long id = run.serverId().getAsLong();
    Log.infof("deleting builder of failed run serverId=%d buildId=%s", id, run.buildId());
    return cloud
        .deleteServerAndWaitGone(id, timeout, poll)
        .invoke(
            () -> {
              run.serverGone();
              hostKeys.delete(run.buildId());
            })
        .onFailure()
        .invoke(
            e ->
                run.leftBehind(
                    new BuildFailed.ResourceRef(BuildFailed.ResourceRef.Kind.SERVER, id)));
  }
}
