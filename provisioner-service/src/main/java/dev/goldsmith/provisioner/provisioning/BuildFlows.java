package dev.goldsmith.provisioner.provisioning;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.smallrye.mutiny.Uni;

import dev.goldsmith.events.BuildAccepted;
import dev.goldsmith.events.BuildFailed;
import dev.goldsmith.events.BuilderConfigured;
import dev.goldsmith.provisioner.cloud.Cloud;
import dev.goldsmith.provisioner.config.ProvisionerConfig;
import dev.goldsmith.provisioner.hostkeys.BuilderHostKeys;
import dev.goldsmith.provisioner.janitor.TerminalBuilds;
import dev.goldsmith.provisioner.provisioning.steps.AwaitBuilderRunning;
import dev.goldsmith.provisioner.provisioning.steps.CheckBuildOpen;
import dev.goldsmith.provisioner.provisioning.steps.CreateBuilder;
import dev.goldsmith.provisioner.provisioning.steps.CreateSnapshot;
import dev.goldsmith.provisioner.provisioning.steps.DeleteBuilder;
import dev.goldsmith.provisioner.provisioning.steps.LocateBuilder;
import dev.goldsmith.provisioner.provisioning.steps.PublishBuilderReady;
import dev.goldsmith.provisioner.provisioning.steps.PublishSnapshotCreated;
import dev.goldsmith.provisioner.provisioning.steps.ResolveConfiguratorKeys;
import dev.goldsmith.provisioner.provisioning.steps.StopBuilder;
import dev.goldsmith.support.messaging.BuildMdc;

/**
 * The provisioner's three flows as step lists: provision (BuildAccepted → BuilderReady), snapshot
 * (BuilderConfigured ok → SnapshotCreated) and discard (BuilderConfigured failed → BuildFailed). A
 * halted flow publishes BuildFailed after its cleanups ran. Runs of the same build are serialized
 * in this process, so a redelivered event waits for the first run and then finds its resources by
 * label instead of duplicating them.
 */
@ApplicationScoped
public class BuildFlows {
  private final StepRunner runner;
  private final EventSink sink;
  private final MeterRegistry registry;
  private final Clock clock = Clock.systemUTC();
  private final List<Step> provision;
  private final List<Step> snapshot;
  private final List<Step> discard;
  private final ConcurrentHashMap<UUID, CompletableFuture<Void>> tails = new ConcurrentHashMap<>();
  private final AtomicBoolean stopping = new AtomicBoolean();
  private final AtomicInteger running = new AtomicInteger();
  private final Duration shutdownGrace;

  public BuildFlows(
      Cloud cloud,
      ProvisionerConfig config,
      TerminalBuilds terminal,
      EventSink sink,
      MeterRegistry registry) {
    this.sink = sink;
    this.registry = registry;
    this.shutdownGrace = config.shutdownGrace();
    this.runner =
        new StepRunner(
            config.cleanupTimeout(),
            (step, outcome, took) ->
                Timer.builder("goldsmith.provisioner.step.duration")
                    .description("Duration of each provisioning step")
                    .tag("step", step)
                    .tag("outcome", outcome)
                    .register(registry)
                    .record(took),
            stopping::get);
    Duration poll = config.pollInterval();
    Duration cleanup = config.cleanupTimeout();
    BuilderHostKeys hostKeys =
        new BuilderHostKeys(
            Path.of(config.builder().hostKeyDir()), config.janitor().builderTtl(), clock);
    this.provision =
        List.of(
            new CheckBuildOpen(cloud, terminal),
            new ResolveConfiguratorKeys(cloud, config.builder().sshKeyWait(), poll),
            new CreateBuilder(
                cloud,
                hostKeys,
                config.builder().namePrefix(),
                config.builder().createTimeout(),
                cleanup,
                poll,
                clock),
            new AwaitBuilderRunning(cloud, config.builder().runningTimeout(), poll),
            new PublishBuilderReady(sink, clock));
    this.snapshot =
        List.of(
            new LocateBuilder(cloud, hostKeys, true, cleanup, poll),
            new StopBuilder(cloud, config.snapshot().shutdownGrace()),
            new CreateSnapshot(cloud, config.snapshot().createTimeout(), poll),
            new DeleteBuilder(cloud, hostKeys, config.snapshot().deleteTimeout(), poll),
            new PublishSnapshotCreated(sink, clock));
    this.discard =
        List.of(
            new LocateBuilder(cloud, hostKeys, false, cleanup, poll),
            new DeleteBuilder(cloud, hostKeys, config.snapshot().deleteTimeout(), poll));
  }

  /** BuildAccepted: create the builder, wait until it runs, publish BuilderReady. */
  public Uni<BuildRun> provision(BuildAccepted event) {
    return serialized(
        event.buildId(),
        () -> {
          Counter.builder("goldsmith.provisioner.builds.started")
              .description("BuildAccepted events the provisioner started to work on")
              .register(registry)
              .increment();
          BuildRun run = new BuildRun(event.buildId(), event.spec(), BuildFailed.Stage.PROVISION);
          return timed("provision", runner.run(provision, run)).call(this::reportHalt);
        });
  }

  /** BuilderConfigured ok: power off, snapshot, delete the builder, publish SnapshotCreated. */
  public Uni<BuildRun> snapshot(BuilderConfigured event) {
    return serialized(
        event.buildId(),
        () -> {
          BuildRun run = new BuildRun(event.buildId(), event.spec(), BuildFailed.Stage.SNAPSHOT);
          run.provenance(event.provenance());
          return timed("snapshot", runner.run(snapshot, run)).call(this::reportHalt);
        });
  }

  /** BuilderConfigured failed: delete the builder, publish BuildFailed (stage configure). */
  public Uni<BuildRun> discard(BuilderConfigured event) {
    return serialized(
        event.buildId(),
        () -> {
          BuildRun run = new BuildRun(event.buildId(), event.spec(), BuildFailed.Stage.CONFIGURE);
          return timed("discard", runner.run(discard, run))
              .call(
                  done -> {
                    if (done.halted()) {
                      return reportHalt(done);
                    }
                    String reason =
                        event.reasonClass() == null
                            ? BuilderConfigured.PLAYBOOK_FAILED
                            : event.reasonClass();
                    String message =
                        (BuilderConfigured.PLAYBOOK_FAILED.equals(reason)
                                ? "playbook failed"
                                : "configure failed (" + reason + ")")
                            + (event.failedTask() == null
                                ? ""
                                : " at task '" + event.failedTask() + "'")
                            + (event.message() == null ? "" : ": " + event.message());
                    return sink.publish(
                        new BuildFailed(
                            event.buildId(),
                            event.spec().family(),
                            event.spec().version(),
                            BuildFailed.Stage.CONFIGURE,
                            reason,
                            message,
                            done.leftBehind(),
                            clock.instant()));
                  });
        });
  }

  private Uni<Void> reportHalt(BuildRun run) {
    if (!run.halted()) {
      return Uni.createFrom().voidItem();
    }
    StepOutcome halt = run.halt().orElseThrow();
    BuildMdc.run(
        run.buildId().toString(),
        () ->
            Log.errorf(
                "build failed buildId=%s stage=%s reasonClass=%s leftBehind=%s message=%s",
                run.buildId(), run.stage(), halt.reasonClass(), run.leftBehind(), halt.message()));
    return sink.publish(
        new BuildFailed(
            run.buildId(),
            run.spec().family(),
            run.spec().version(),
            run.stage(),
            halt.reasonClass(),
            halt.message() == null ? halt.reasonClass() : halt.message(),
            run.leftBehind(),
            clock.instant()));
  }

  private Uni<BuildRun> timed(String stage, Uni<BuildRun> work) {
    return Uni.createFrom()
        .item(System::nanoTime)
        .chain(
            t0 ->
                work.invoke(
                    run ->
                        Timer.builder("goldsmith.provisioner.stage.duration")
                            .description("Duration of the provisioner's stages")
                            .tag("stage", stage)
                            .tag(
                                "outcome",
                                run.halted() ? "failed" : run.skipped() ? "skipped" : "ok")
                            .register(registry)
                            .record(Duration.ofNanos(System.nanoTime() - t0))));
  }

  /**
   * Graceful shutdown: from now on no step starts and a failing step aborts its run (nothing
   * published, nothing cleaned up, the record handed back un-acked by the consumer policy). Waits
   * up to {@code goldsmith.provisioner.shutdown-grace} for the steps in flight to end, so a step
   * about to finish (e.g. a publish) is not cut off; a step still waiting after that (a snapshot
   * taking minutes) is aborted when the Hetzner client closes, and its record is redelivered after
   * the restart, when the flow resumes from the resources it finds by label.
   */
  void onShutdown(@Observes @Priority(10) ShutdownEvent event) {
    stopping.set(true);
    long deadline = System.nanoTime() + shutdownGrace.toNanos();
    while (running.get() > 0 && System.nanoTime() < deadline) {
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    Log.infof(
        "provisioner stopping: runs still in flight=%d (each aborts, its record is redelivered)",
        running.get());
  }

  /** True once the process shuts down. */
  public boolean stopping() {
    return stopping.get();
  }

  /** Runs {@code work} after every earlier run of the same build in this process has ended. */
  private <T> Uni<T> serialized(UUID buildId, Supplier<Uni<T>> work) {
    CompletableFuture<Void> mine = new CompletableFuture<>();
    CompletableFuture<Void> previous = tails.put(buildId, mine);
    Uni<Void> before =
        previous == null ? Uni.createFrom().voidItem() : Uni.createFrom().completionStage(previous);
    return before
        .chain(
            () -> {
              running.incrementAndGet();
              Uni<T> started = Uni.createFrom().deferred(work::get);
              return started.onTermination().invoke(running::decrementAndGet);
            })
        .onTermination()
        .invoke(
            () -> {
              mine.complete(null);
              tails.remove(buildId, mine);
            });
  }
}
