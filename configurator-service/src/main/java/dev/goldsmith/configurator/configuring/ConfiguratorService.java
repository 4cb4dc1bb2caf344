package dev.goldsmith.configurator.configuring;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.interceptor.Interceptor;

import org.jboss.logging.MDC;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Scope;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;

import dev.goldsmith.configurator.ansible.AddressSelector;
import dev.goldsmith.configurator.ansible.PlaybookRunner;
import dev.goldsmith.configurator.ansible.RunCancelledException;
import dev.goldsmith.configurator.config.ConfiguratorConfig;
import dev.goldsmith.events.BuilderConfigured;
import dev.goldsmith.events.BuilderReady;
import dev.goldsmith.support.ssh.SshKeyFile;
import dev.goldsmith.support.ssh.SshKeyFiles;
import dev.goldsmith.support.tracing.BuildTraces;

/**
 * Runs builder configurations on a bounded pool of worker threads, so the Kafka consumer is never
 * blocked by a playbook run; at most {@code max-concurrent-runs} playbooks run at once, further
 * builds wait in a queue. A BuilderReady delivered again while its build runs joins that run.
 *
 * <p>On shutdown every running playbook is killed with its process tree and the ssh masters of its
 * run, queued builds are not started, and their futures fail with {@link RunCancelledException}: no
 * outcome is recorded or published, and the consumer policy (stopped just before, see the observer
 * priority) hands their records back un-acked, so they are redelivered.
 */
@ApplicationScoped
public class ConfiguratorService {
  static final String METRIC_RUNS = "goldsmith.configurator.runs";
  static final String METRIC_DURATION = "goldsmith.configurator.run.duration";
  static final String METRIC_CHANGED = "goldsmith.configurator.changed.tasks";
  static final String METRIC_REPUBLISHED = "goldsmith.configurator.outcomes.republished";

  private final ConfiguratorConfig config;
  private final MeterRegistry meters;
  private final Map<UUID, CompletableFuture<BuilderConfigurator.Result>> inFlight =
      new ConcurrentHashMap<>();
  private final AtomicInteger active = new AtomicInteger();

  private SshKeyFile keyPair;
  private BuilderConfigurator configurator;
  private PlaybookRunner runner;
  private ThreadPoolExecutor pool;
  private volatile boolean stopping;

  private final BuildTraces traces;

  @Inject
  public ConfiguratorService(ConfiguratorConfig config, MeterRegistry meters, BuildTraces traces) {
    this.config = config;
    this.meters = meters;
    this.traces = traces;
  }

  @PostConstruct
  void start() {
    ConfiguratorConfig.Ssh ssh = config.ssh();
    Path pub = ssh.publicKey().orElse(Path.of(ssh.privateKey() + ".pub"));
    keyPair =
        SshKeyFiles.loadOrGenerate(
            ssh.privateKey(),
            pub,
            ssh.generateIfMissing(),
            ssh.keyComment(),
            "goldsmith.configurator.ssh.generate-if-missing");
    ConfiguratorConfig.Ansible a = config.ansible();
    runner = new PlaybookRunner(a.timeout(), a.killGrace());
    try {
      configurator =
          new BuilderConfigurator(
              new BuilderConfigurator.Settings(
                  a.dir(),
                  a.playbookCommand(),
                  a.workDir(),
                  a.logDir(),
                  a.controlPathDir(),
                  ssh.remoteUser(),
                  ssh.port(),
                  a.hygieneKeysVariable(),
                  a.timeout()),
              keyPair,
              new AddressSelector(
                  AddressSelector.TcpProbe.connect(), ssh.port(), ssh.probeTimeout()),
              runner,
              Clock.systemUTC());
    } catch (IOException e) {
      throw new IllegalStateException("cannot prepare the work directory " + a.workDir(), e);
    }
    int n = Math.max(1, a.maxConcurrentRuns());
    pool =
        new ThreadPoolExecutor(
            n,
            n,
            60,
            TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(),
            r -> {
              Thread t = new Thread(r, "configurator-run");
              t.setDaemon(true);
              return t;
            });
    meters.gauge("goldsmith.configurator.runs.active", active);
    meters.gaugeCollectionSize(
        "goldsmith.configurator.runs.queued", java.util.List.of(), pool.getQueue());
    Log.infof(
        "configurator ready key=%s ansibleDir=%s maxConcurrentRuns=%d timeout=%s",
        keyPair.publicKey(), a.dir().toAbsolutePath(), n, a.timeout());
  }

  /**
   * Graceful shutdown (SIGTERM): kill the running playbooks and hand their records back. Runs after
   * the consumer helper's own shutdown observer (default priority), so the policy is already
   * stopped when the runs fail and settles them as handed back, never as a retry or a dead letter.
   * Returns when the workers are done (within {@code ansible.kill-grace} plus the ssh-master
   * cleanup), inside {@code quarkus.shutdown.timeout}; the Kafka connector closes after it and
   * commits no offset past an un-acked record.
   */
  void onShutdown(@Observes @Priority(Interceptor.Priority.APPLICATION + 600) ShutdownEvent event) {
    shutdown();
  }

  /** The shutdown path (also for tests): see {@link #onShutdown}. */
  public void shutdown() {
    if (stopping) {
      return;
    }
    stopping = true;
    if (pool == null) {
      return;
    }
    int running = active.get();
    int queued = pool.getQueue().size();
    pool.shutdown();
    // Queued builds never start; their records are handed back.
    for (Runnable r : pool.getQueue().toArray(Runnable[]::new)) {
      if (pool.remove(r) && r instanceof Run run) {
        run.cancel();
      }
    }
    Log.infof(
        "shutting down: killing %d running playbook(s), %d queued build(s) not started; their"
            + " records are handed back un-acked",
        running, queued);
    try {
      runner.cancelAll();
      if (!pool.awaitTermination(config.ansible().killGrace().toSeconds() + 30, TimeUnit.SECONDS)) {
        Log.warn("configuration workers still busy after the kill; stopping anyway");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @PreDestroy
  void stop() {
    if (pool != null) {
      pool.shutdownNow();
    }
  }

  /** The configurator's key pair (public part and private key path). */
  public SshKeyFile keyPair() {
    return keyPair;
  }

  /** The domain object (for tests that drive a configuration directly). */
  public BuilderConfigurator configurator() {
    return configurator;
  }

  /**
   * Configures the builder of {@code ready} on a worker thread; completes with the event to
   * publish. Never blocks the caller.
   */
  public CompletionStage<BuilderConfigurator.Result> submit(BuilderReady ready) {
    UUID id = ready.buildId();
    CompletableFuture<BuilderConfigurator.Result> mine = new CompletableFuture<>();
    CompletableFuture<BuilderConfigurator.Result> running = inFlight.putIfAbsent(id, mine);
    if (running != null) {
      Log.infof("build=%s already being configured; joining that run", id);
      return running;
    }
    if (stopping) {
      inFlight.remove(id, mine);
      mine.completeExceptionally(new RunCancelledException("shutting down: not started"));
      return mine;
    }
    try {
      pool.execute(new Run(ready, mine));
    } catch (RuntimeException e) {
      inFlight.remove(id, mine);
      mine.completeExceptionally(
          stopping ? new RunCancelledException("shutting down: not started") : e);
    }
    return mine;
  }

  /** A queued configuration; cancelled when the service stops before it started. */
  private final class Run implements Runnable {
    private final BuilderReady ready;
    private final CompletableFuture<BuilderConfigurator.Result> done;

    Run(BuilderReady ready, CompletableFuture<BuilderConfigurator.Result> done) {
      this.ready = ready;
      this.done = done;
    }

    @Override
    public void run() {
      runOne(ready, done);
    }

    void cancel() {
      inFlight.remove(ready.buildId(), done);
      done.completeExceptionally(new RunCancelledException("shutting down: not started"));
    }
  }

  private void runOne(BuilderReady ready, CompletableFuture<BuilderConfigurator.Result> done) {
    UUID id = ready.buildId();
    MDC.put("buildId", id.toString());
    active.incrementAndGet();
    try {
      Log.infof(
          "build=%s configuring server=%d ipv4=%s ipv6=%s mode=%s playbook=%s",
          id,
          ready.serverId(),
          ready.ipv4(),
          ready.ipv6(),
          ready.spec().networkMode().wire(),
          ready.spec().playbook());
      boolean stream = config.ansible().streamLog();
      // The playbook run is one span of the build's trace.
      Span span =
          traces.span(
              "ansible-playbook " + ready.spec().playbook(), id.toString(), SpanKind.INTERNAL);
      BuilderConfigurator.Result result;
      try (Scope ignored = span.makeCurrent()) {
        span.setAttribute("goldsmith.server_id", ready.serverId());
        result =
            configurator.configure(
                ready,
                line -> {
                  if (stream) {
                    MDC.put("buildId", id.toString());
                    Log.infof("build=%s ansible | %s", id, line);
                  }
                });
        span.setAttribute(
            "goldsmith.outcome",
            result.event().outcome().name().toLowerCase(java.util.Locale.ROOT));
        span.setAttribute("goldsmith.changed", (long) result.event().changed());
      } catch (Exception e) {
        span.setStatus(StatusCode.ERROR, e.getClass().getSimpleName());
        throw e;
      } finally {
        span.end();
      }
      count(result);
      done.complete(result);
    } catch (RunCancelledException e) {
      Log.infof(
          "build=%s run cancelled (%s); no outcome, the record is handed back", id, e.getMessage());
      done.completeExceptionally(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      done.completeExceptionally(e);
    } catch (Exception e) {
      Log.errorf(e, "build=%s configuration could not run", id);
      done.completeExceptionally(e);
    } finally {
      active.decrementAndGet();
      inFlight.remove(id, done);
      MDC.remove("buildId");
    }
  }

  private void count(BuilderConfigurator.Result result) {
    BuilderConfigured e = result.event();
    String outcome = e.outcome().name().toLowerCase(java.util.Locale.ROOT);
    switch (result.kind()) {
      case RECORDED -> {
        Counter.builder(METRIC_REPUBLISHED)
            .description("Recorded outcomes published again on redelivery")
            .tag("outcome", outcome)
            .register(meters)
            .increment();
        Log.infof(
            "build=%s outcome already recorded (%s); publishing it again", e.buildId(), outcome);
        return;
      }
      case REFUSED -> Log.warnf("build=%s refused: %s", e.buildId(), e.message());
      case RAN ->
          Log.infof(
              "build=%s playbook finished outcome=%s changed=%d failedTask=%s took=%s log=%s",
              e.buildId(), outcome, e.changed(), e.failedTask(), result.duration(), e.logRef());
    }
    String kind = result.kind().name().toLowerCase(java.util.Locale.ROOT);
    Counter.builder(METRIC_RUNS)
        .description(
            "Builder configurations by outcome (kind ran: the playbook ran; refused: it did not)")
        .tag("outcome", outcome)
        .tag("kind", kind)
        .register(meters)
        .increment();
    if (result.kind() == BuilderConfigurator.Kind.RAN) {
      Timer.builder(METRIC_DURATION)
          .description("Wall time of ansible-playbook runs")
          .tag("outcome", outcome)
          .register(meters)
          .record(result.duration());
      DistributionSummary.builder(METRIC_CHANGED)
          .description("Changed tasks per playbook run")
          .tag("outcome", outcome)
          .register(meters)
          .record(e.changed());
    }
  }
}
