package dev.goldsmith.provisioner.provisioning.steps;

import java.time.Duration;

import io.smallrye.mutiny.Uni;

import dev.goldsmith.provisioner.cloud.Cloud;
import dev.goldsmith.provisioner.provisioning.BuildRun;
import dev.goldsmith.provisioner.provisioning.Step;
import dev.goldsmith.provisioner.provisioning.StepOutcome;

/**
 * Graceful shutdown, polled until the builder is off, hard power-off after the grace period. Does
 * nothing once the snapshot exists (the disk is already captured).
 */
public final class StopBuilder implements Step {
  private final Cloud cloud;
  private final Duration grace;

  public StopBuilder(Cloud cloud, Duration grace) {
    this.cloud = cloud;
    this.grace = grace;
  }

  @Override
  public String name() {
    return "stop-builder";
  }

  @Override
  public Uni<StepOutcome> run(BuildRun run) {
    if (run.image().isPresent() || run.serverId().isEmpty()) {
      return Uni.createFrom().item(StepOutcome.proceed());
    }
    long id = run.serverId().getAsLong();
    return cloud
        .shutdownAndWaitOff(id, grace)
        .invoke(s -> run.server(s))
        .replaceWith(StepOutcome.proceed());
  }
}
