package dev.goldsmith.provisioner.provisioning.steps;

import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;

import dev.goldsmith.provisioner.cloud.Cloud;
import dev.goldsmith.provisioner.janitor.TerminalBuilds;
import dev.goldsmith.provisioner.provisioning.BuildRun;
import dev.goldsmith.provisioner.provisioning.Step;
import dev.goldsmith.provisioner.provisioning.StepOutcome;
import dev.goldsmith.support.messaging.BuildMdc;

/**
 * Skips a BuildAccepted that arrives after its build moved on: the build is known terminal, or its
 * snapshot already exists (a late redelivery must not create a second builder).
 */
public final class CheckBuildOpen implements Step {
  private final Cloud cloud;
  private final TerminalBuilds terminal;

  public CheckBuildOpen(Cloud cloud, TerminalBuilds terminal) {
    this.cloud = cloud;
    this.terminal = terminal;
  }

  @Override
  public String name() {
    return "check-build-open";
  }

  @Override
  public Uni<StepOutcome> run(BuildRun run) {
    if (terminal.isTerminal(run.buildId())) {
      Log.infof("build is terminal, nothing to provision buildId=%s", run.buildId());
      run.skip();
      return Uni.createFrom().item(StepOutcome.proceed());
    }
    return cloud
        .findSnapshots(run.buildId())
        .map(
            snapshots -> {
              if (!snapshots.isEmpty()) {
                BuildMdc.run(
                    run.buildId().toString(),
                    () ->
                        Log.infof(
                            "snapshot exists, build moved on; not provisioning buildId=%s"
                                + " imageId=%d",
                            run.buildId(), snapshots.get(0).id()));
                run.skip();
              }
              return StepOutcome.proceed();
            });
  }
}
