package dev.goldsmith.provisioner.provisioning.steps;

import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;

import dev.goldsmith.hcloud.model.CreateServerRequest;
import dev.goldsmith.hcloud.model.Server;
import dev.goldsmith.hcloud.model.ServerStatus;
import dev.goldsmith.provisioner.cloud.Cloud;
import dev.goldsmith.provisioner.hostkeys.BuilderHostKeys;
import dev.goldsmith.provisioner.hostkeys.BuilderUserData;
import dev.goldsmith.provisioner.provisioning.BuildRun;
import dev.goldsmith.provisioner.provisioning.Step;
import dev.goldsmith.provisioner.provisioning.StepOutcome;
import dev.goldsmith.support.cloud.GoldsmithLabels;
import dev.goldsmith.support.messaging.BuildMdc;
import dev.goldsmith.support.ssh.SshKeyPair;

/**
 * Finds the build's builder by its labels, or creates it with a freshly generated host key in its
 * cloud-init user data (public half recorded in {@link BuilderHostKeys} before the call): records
 * the server id right after the create call, then waits for the create actions. A found builder is
 * used only when its host key is the recorded one (label {@link BuilderHostKeys#LABEL}); builders
 * whose key this provisioner does not know cannot be pinned and are deleted, then a new one is
 * created. Cleanup deletes the builder when the run halted.
 */
public final class CreateBuilder implements Step {
  private final Cloud cloud;
  private final BuilderHostKeys hostKeys;
  private final String namePrefix;
  private final Duration createTimeout;
  private final Duration cleanupTimeout;
  private final Duration poll;
  private final Clock clock;

  public CreateBuilder(
      Cloud cloud,
      BuilderHostKeys hostKeys,
      String namePrefix,
      Duration createTimeout,
      Duration cleanupTimeout,
      Duration poll,
      Clock clock) {
    this.cloud = cloud;
    this.hostKeys = hostKeys;
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
            found ->
                offLoop(() -> hostKeys.find(run.buildId()))
                    .chain(known -> decide(run, found, known)));
  }

  /** Uses the oldest builder with the recorded host key, else replaces them all, else creates. */
  private Uni<StepOutcome> decide(BuildRun run, List<Server> found, Optional<String> known) {
    List<Server> alive =
        found.stream()
            .filter(s -> s.status() != ServerStatus.DELETING)
            .sorted(Comparator.comparingLong(Server::id))
            .toList();
    if (alive.isEmpty()) {
      return create(run);
    }
    String label = known.map(BuilderHostKeys::fingerprintLabel).orElse(null);
    List<Server> pinned =
        alive.stream()
            .filter(s -> label != null && label.equals(s.labels().get(BuilderHostKeys.LABEL)))
            .toList();
    if (pinned.isEmpty()) {
      Log.warnf(
          "builder's host key is not recorded here, replacing the builder buildId=%s"
              + " serverIds=%s",
          run.buildId(), alive.stream().map(Server::id).toList());
      return replace(run, alive);
    }
    Server existing = pinned.get(0);
    if (alive.size() > 1) {
      Log.warnf(
          "several builders for one build, using the oldest with the recorded host key"
              + " buildId=%s serverIds=%s serverId=%d",
          run.buildId(), alive.stream().map(Server::id).toList(), existing.id());
    }
    run.server(existing);
    run.hostKey(known.get());
    Log.infof(
        "builder exists, continuing buildId=%s serverId=%d status=%s",
        run.buildId(), existing.id(), existing.status());
    return Uni.createFrom().item(StepOutcome.proceed());
  }

  /** Deletes builders whose host key is unknown, one after another, then creates a new one. */
  private Uni<StepOutcome> replace(BuildRun run, List<Server> unpinnable) {
    Uni<Void> gone = Uni.createFrom().voidItem();
    for (Server s : unpinnable) {
      gone = gone.chain(() -> cloud.deleteServerAndWaitGone(s.id(), cleanupTimeout, poll));
    }
    return gone.chain(() -> create(run));
  }

  private Uni<StepOutcome> create(BuildRun run) {
    // Recorded before the call: a crash after it still republishes the key the builder got.
    return offLoop(() -> hostKeys.generate(run.buildId())).chain(hostKey -> create(run, hostKey));
  }

  private Uni<StepOutcome> create(BuildRun run, SshKeyPair hostKey) {
    var spec = run.spec();
    CreateServerRequest.Builder request =
        CreateServerRequest.builder(
                GoldsmithLabels.builderName(namePrefix, spec.family(), run.buildId()),
                spec.serverType(),
                spec.baseImage())
            .location(spec.location())
            .labels(GoldsmithLabels.builder(run.buildId(), spec, clock.instant()))
            .label(BuilderHostKeys.LABEL, BuilderHostKeys.fingerprintLabel(hostKey))
            .userData(BuilderUserData.render(hostKey));
    run.sshKeyIds().forEach(request::sshKey);
    CreateServerRequest body = request.build();
    return cloud
        .createServer(body)
        .chain(
            created -> {
              // Record the id before waiting, so the cleanup can delete it if the wait fails.
              run.server(created.server());
              run.hostKey(BuilderHostKeys.hostKey(hostKey));
              BuildMdc.run(
                  run.buildId().toString(),
                  () ->
                      Log.infof(
                          "builder created buildId=%s serverId=%d name=%s",
                          run.buildId(), created.server().id(), body.name()));
              return cloud.waitFor(created.allActions(), createTimeout);
            })
        .replaceWith(StepOutcome.proceed());
  }

  /** File I/O (the host-key directory) on a worker thread, never on the event loop. */
  private static <T> Uni<T> offLoop(Supplier<T> work) {
    return Uni.createFrom().item(work).runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
  }

  @Override
  public Uni<Void> cleanup(BuildRun run) {
    return BuilderCleanup.deleteIfHalted(cloud, hostKeys, run, cleanupTimeout, poll);
  }
}
