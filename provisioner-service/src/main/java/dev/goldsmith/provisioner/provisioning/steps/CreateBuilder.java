package dev.goldsmith.provisioner.provisioning.steps;

import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;

import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;

import dev.goldsmith.hcloud.model.CreateServerRequest;
import dev.goldsmith.hcloud.model.Server;
import dev.goldsmith.hcloud.model.ServerStatus;
import dev.goldsmith.provisioner.cloud.Cloud;
import dev.goldsmith.provisioner.cloud.GoldsmithLabels;
import dev.goldsmith.provisioner.provisioning.BuildRun;
import dev.goldsmith.provisioner.provisioning.Step;
import dev.goldsmith.provisioner.provisioning.StepOutcome;

/**
 * Finds the build's builder by its labels, or creates it: records the server id right after the
 * create call, then waits for the create actions. Cleanup deletes the builder when the run halted.
 */
public final class CreateBuilder implements Step {
  private final Cloud cloud;
  private final String namePrefix;
  private final Duration createTimeout;
  private final Duration cleanupTimeout;
  private final Duration poll;
  private final Clock clock;

  public CreateBuilder(
      Cloud cloud,
      String namePrefix,
      Duration createTimeout,
      Duration cleanupTimeout,
      Duration poll,
      Clock clock) {
    this.cloud = cloud;
    this.namePrefix = namePrefix;
    this.createTimeout = createTimeout;
    this.cleanupTimeout = cleanupTimeout;
    this.poll = poll;
    this.clock = clock;
  }

  @Override
  public String name() {
    return "create-builder";
  }

  @Override
  public Uni<StepOutcome> run(BuildRun run) {
    return cloud
        .findBuilders(run.buildId())
        .chain(
            found -> {
              List<Server> alive =
                  found.stream().filter(s -> s.status() != ServerStatus.DELETING).toList();
              if (!alive.isEmpty()) {
                Server existing = alive.stream().min(Comparator.comparingLong(Server::id)).get();
                if (alive.size() > 1) {
                  Log.warnf(
                      "several builders for one build, using the oldest buildId=%s serverIds=%s",
                      run.buildId(), alive.stream().map(Server::id).toList());
                }
                run.server(existing);
                Log.infof(
                    "builder exists, continuing buildId=%s serverId=%d status=%s",
                    run.buildId(), existing.id(), existing.status());
                return Uni.createFrom().item(StepOutcome.proceed());
              }
              return create(run);
            });
  }

  private Uni<StepOutcome> create(BuildRun run) {
    var spec = run.spec();
    CreateServerRequest.Builder request =
        CreateServerRequest.builder(
                GoldsmithLabels.builderName(namePrefix, spec.family(), run.buildId()),
                spec.serverType(),
                spec.baseImage())
            .location(spec.location())
            .labels(GoldsmithLabels.builder(run.buildId(), spec, clock.instant()));
    run.sshKeyIds().forEach(request::sshKey);
    CreateServerRequest body = request.build();
    return cloud
        .createServer(body)
        .chain(
            created -> {
              // Record the id before waiting, so the cleanup can delete it if the wait fails.
              run.server(created.server());
              Log.infof(
                  "builder created buildId=%s serverId=%d name=%s",
                  run.buildId(), created.server().id(), body.name());
              return cloud.waitFor(created.allActions(), createTimeout);
            })
        .replaceWith(StepOutcome.proceed());
  }

  @Override
  public Uni<Void> cleanup(BuildRun run) {
    return BuilderCleanup.deleteIfHalted(cloud, run, cleanupTimeout, poll);
  }
}
