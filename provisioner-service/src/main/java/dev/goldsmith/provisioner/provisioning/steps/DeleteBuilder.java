package dev.goldsmith.provisioner.provisioning.steps;

import java.time.Duration;

import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;

import dev.goldsmith.provisioner.cloud.Cloud;
import dev.goldsmith.provisioner.hostkeys.BuilderHostKeys;
import dev.goldsmith.provisioner.provisioning.BuildRun;
import dev.goldsmith.provisioner.provisioning.Step;
import dev.goldsmith.provisioner.provisioning.StepOutcome;
import dev.goldsmith.support.messaging.BuildMdc;

/** Deletes the builder and waits until the API answers 404 for it, then forgets its host key. */
public final class DeleteBuilder implements Step {
  private final Cloud cloud;
  private final BuilderHostKeys hostKeys;
  private final Duration timeout;
  private final Duration poll;

  public DeleteBuilder(Cloud cloud, BuilderHostKeys hostKeys, Duration timeout, Duration poll) {
    this.cloud = cloud;
    this.hostKeys = hostKeys;
    this.timeout = timeout;
    this.poll = poll;
  }

  @Override
  public String name() {
    return "delete-builder";
  }

  @Override
  public Uni<StepOutcome> run(BuildRun run) {
    if (run.serverId().isEmpty()) {
      return Uni.createFrom().item(StepOutcome.proceed());
    }
    long id = run.serverId().getAsLong();
    return cloud
        .deleteServerAndWaitGone(id, timeout, poll)
        .invoke(
            () -> {
              BuildMdc.run(
                  run.buildId().toString(),
                  () -> Log.infof("builder gone buildId=%s serverId=%d", run.buildId(), id));
              run.serverGone();
              hostKeys.delete(run.buildId());
            })
        .replaceWith(StepOutcome.proceed());
  }
}
