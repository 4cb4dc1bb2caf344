package dev.goldsmith.provisioner.provisioning.steps;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;

import dev.goldsmith.hcloud.model.Server;
import dev.goldsmith.hcloud.model.ServerStatus;
import dev.goldsmith.provisioner.cloud.Cloud;
import dev.goldsmith.provisioner.provisioning.BuildRun;
import dev.goldsmith.provisioner.provisioning.Step;
import dev.goldsmith.provisioner.provisioning.StepOutcome;

/** Polls the builder until it is {@code running}; powers on a builder found {@code off}. */
public final class AwaitBuilderRunning implements Step {
  private final Cloud cloud;
  private final Duration timeout;
  private final Duration poll;

  public AwaitBuilderRunning(Cloud cloud, Duration timeout, Duration poll) {
    this.cloud = cloud;
    this.timeout = timeout;
    this.poll = poll;
  }

  @Override
  public String name() {
    return "await-builder-running";
  }

  @Override
  public Uni<StepOutcome> run(BuildRun run) {
    long id = run.serverId().orElseThrow();
    AtomicBoolean poweredOn = new AtomicBoolean();
    return Cloud.pollUntil(
            () -> cloud.server(id).chain(s -> powerOnIfOff(s, poweredOn)),
            s -> s.isEmpty() || s.get().status() == ServerStatus.RUNNING,
            poll,
            timeout,
            "builder running")
        .map(
            latest -> {
              if (latest.isEmpty()) {
                return StepOutcome.halt("builder_vanished", "builder " + id + " disappeared");
              }
              run.server(latest.get());
              return StepOutcome.proceed();
            });
  }

  private Uni<Optional<Server>> powerOnIfOff(Optional<Server> server, AtomicBoolean poweredOn) {
    if (server.isEmpty()
        || server.get().status() != ServerStatus.OFF
        || poweredOn.getAndSet(true)) {
      return Uni.createFrom().item(server);
    }
    Log.infof("builder is off, powering it on serverId=%d", server.get().id());
    return cloud
        .powerOn(server.get().id())
        .chain(a -> cloud.waitFor(List.of(a), timeout))
        .replaceWith(server);
  }
}
