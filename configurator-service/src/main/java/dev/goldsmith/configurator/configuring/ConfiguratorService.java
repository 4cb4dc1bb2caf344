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
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.MDC;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.logging.Log;

import dev.goldsmith.configurator.ansible.AddressSelector;
import dev.goldsmith.configurator.ansible.PlaybookRunner;
import dev.goldsmith.configurator.config.ConfiguratorConfig;
import dev.goldsmith.events.BuilderConfigured;
import dev.goldsmith.events.BuilderReady;
import dev.goldsmith.support.ssh.SshKeyFile;
import dev.goldsmith.support.ssh.SshKeyFiles;

/**
 * Runs builder configurations on a bounded pool of worker threads, so the Kafka consumer is never
 * blocked by a playbook run; at most {@code max-concurrent-runs} playbooks run at once, further
 * builds wait in a queue. A BuilderReady delivered again while its build runs joins that run.
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
  private ThreadPoolExecutor pool;

  @Inject
  public ConfiguratorService(ConfiguratorConfig config, MeterRegistry meters) {
    this.config = config;
    this.meters = meters;
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
              new PlaybookRunner(a.timeout(), a.killGrace()),
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
    try {
      pool.execute(() -> runOne(ready, mine));
    } catch (RuntimeException e) {
      inFlight.remove(id, mine);
      mine.completeExceptionally(e);
    }
    return mine;
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
      BuilderConfigurator.Result result =
          configurator.configure(
              ready,
              line -> {
                if (stream) {
                  MDC.put("buildId", id.toString());
                  Log.infof("build=%s ansible | %s", id, line);
                }
              });
      count(result);
      done.complete(result);
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
