package dev.goldsmith.registry.watchdog;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.quarkus.logging.Log;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;

import dev.goldsmith.events.BuildFailed;
import dev.goldsmith.events.BuildFailed.ResourceRef;
import dev.goldsmith.events.BuilderConfigured;
import dev.goldsmith.events.BuilderReady;
import dev.goldsmith.events.EventCodec;
import dev.goldsmith.events.EventType;
import dev.goldsmith.events.FailureClass;
import dev.goldsmith.registry.config.RegistryConfig;
import dev.goldsmith.registry.domain.Build;
import dev.goldsmith.registry.domain.BuildStatus;
import dev.goldsmith.registry.domain.ImageVersionRepository;
import dev.goldsmith.registry.domain.OutboxEvent;
import dev.goldsmith.registry.domain.StageDeadline;
import dev.goldsmith.registry.domain.StageDeadlineRepository;
import dev.goldsmith.registry.domain.TimelineRepository;
import dev.goldsmith.registry.messaging.Outbox;
import dev.goldsmith.registry.messaging.OutboxPublisher;
import dev.goldsmith.registry.metrics.BuildOutcomes;
import dev.goldsmith.registry.promotion.VersionLifecycle;
import dev.goldsmith.registry.timeline.TimelineService;
import dev.goldsmith.support.messaging.BuildMdc;

/**
 * Notices builds that stopped moving ({@link StageDeadlines}): on a stage's first expiry it
 * re-publishes, through the outbox with a new CloudEvents id, the stored event that starts the
 * stage; on the next it ends the build FAILED (stage, reason {@code deadline}) through {@link
 * VersionLifecycle} and publishes {@code BuildFailed} naming the builder and snapshot it knows of.
 * Rows are claimed one per transaction with {@code FOR UPDATE SKIP LOCKED}, so several registry
 * instances share the work without acting twice on one build.
 */
@ApplicationScoped
public class StageWatchdog {

  /** Metrics of builds that reach a terminal status. */
  @Inject BuildOutcomes outcomes;

  private static final int BATCH = 100;

  private final StageDeadlineRepository deadlines;
  private final TimelineRepository timelineRows;
  private final TimelineService timeline;
  private final ImageVersionRepository versions;
  private final Outbox outbox;
  private final OutboxPublisher publisher;
  private final RegistryConfig config;
  private final Clock clock;
  private final StageDeadlines rule;

  public StageWatchdog(
      StageDeadlineRepository deadlines,
      TimelineRepository timelineRows,
      TimelineService timeline,
      ImageVersionRepository versions,
      Outbox outbox,
      OutboxPublisher publisher,
      RegistryConfig config,
      Clock clock) {
    this.deadlines = deadlines;
    this.timelineRows = timelineRows;
    this.timeline = timeline;
    this.versions = versions;
    this.outbox = outbox;
    this.publisher = publisher;
    this.config = config;
    this.clock = clock;
    RegistryConfig.Watchdog w = config.watchdog();
    Map<BuildStatus, java.time.Duration> budgets = new EnumMap<>(BuildStatus.class);
    budgets.put(BuildStatus.ACCEPTED, w.provision());
    budgets.put(BuildStatus.PROVISIONED, w.configure());
    budgets.put(BuildStatus.CONFIGURED, w.snapshot());
    budgets.put(BuildStatus.SNAPSHOTTED, w.verify());
    this.rule = new StageDeadlines(budgets, w.redrives(), clock);
  }

  @Scheduled(
      every = "${goldsmith.registry.watchdog.interval:30s}",
      delayed = "${goldsmith.registry.watchdog.interval:30s}",
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
      skipExecutionIf = Scheduled.ApplicationNotRunning.class)
  void scheduled() {
    if (!config.watchdog().enabled()) {
      return;
    }
    try {
      run();
    } catch (RuntimeException e) {
      Log.warnf("watchdog run failed error=%s", e.toString());
    }
  }

  /**
   * Starts deadlines of builds that entered a stage, then acts on every due one; returns how many.
   */
  public int run() {
    QuarkusTransaction.requiringNew().run(this::trackNewStages);
    int acted = 0;
    while (acted < BATCH && QuarkusTransaction.requiringNew().call(this::actOnOne)) {
      acted++;
    }
    if (acted > 0) {
      publisher.flushSoon();
    }
    return acted;
  }

  private void trackNewStages() {
    Instant now = clock.instant();
    for (Build b : deadlines.untracked(BATCH)) {
      Instant entered = b.updatedAt == null || b.updatedAt.isAfter(now) ? now : b.updatedAt;
      deadlines.track(b.buildId, b.status, entered, rule.deadline(b.status, entered));
    }
  }

  private boolean actOnOne() {
    Instant now = clock.instant();
    Optional<StageDeadline> claimed = deadlines.claimDue(now);
    if (claimed.isEmpty()) {
      return false;
    }
    StageDeadline d = claimed.get();
    // Every line about the build (re-drive, deadline failure) carries its id.
    return BuildMdc.call(String.valueOf(d.buildId), () -> actOn(d, now));
  }

  private boolean actOn(StageDeadline d, Instant now) {
    Build b = deadlines.buildForUpdate(d.buildId);
    if (b.status != d.status) {
      return true; // moved on meanwhile; the next run tracks its new stage
    }
    StageDeadlines.Action action = rule.decide(d.status, d.redrives, d.deadlineAt);
    if (action == StageDeadlines.Action.REDRIVE && !redrive(b, d, now)) {
      action = StageDeadlines.Action.FAIL;
    }
    if (action == StageDeadlines.Action.FAIL) {
      fail(b, d, now);
    }
    return true;
  }

  /** Re-publishes the stored event that starts the stage; false when none is stored. */
  private boolean redrive(Build b, StageDeadline d, Instant now) {
    EventType type = StageDeadlines.startingEvent(d.status);
    Optional<String> payload = startingPayload(b, type);
    if (payload.isEmpty()) {
      Log.warnf("nothing to re-drive build_id=%s status=%s", b.buildId, d.status);
      return false;
    }
    OutboxEvent row = outbox.addJson(type.name(), b.buildId, payload.get());
    d.redrives++;
    d.lastRedriveAt = now;
    d.deadlineAt = rule.deadline(d.status, now);
    String stage = stageName(d.status);
    timeline.recordAction(
        b.buildId,
        "WATCHDOG_REDRIVE",
        stage,
        "re-driven: " + stage + " deadline passed",
        Map.of(
            "event", type.name(),
            "ceId", row.ceId,
            "redrive", Integer.toString(d.redrives),
            "nextDeadline", d.deadlineAt.toString()),
        now);
    Log.warnf(
        "stage re-driven build_id=%s stage=%s event=%s ce_id=%s", b.buildId, stage, type, row.ceId);
    return true;
  }

  private Optional<String> startingPayload(Build b, EventType type) {
    if (type == EventType.BUILD_ACCEPTED) {
      return EventType.BUILD_ACCEPTED.name().equals(b.answerType)
          ? Optional.ofNullable(b.answerJson)
          : Optional.empty();
    }
    if (type == EventType.BUILDER_CONFIGURED) {
      // Only a successful configuration starts the snapshot stage.
      return timelineRows
          .last(b.buildId, type.name())
          .map(t -> t.payload)
          .filter(
              p ->
                  EventCodec.fromJson(p, BuilderConfigured.class).outcome()
                      == BuilderConfigured.Outcome.OK);
    }
    return timelineRows.last(b.buildId, type.name()).map(t -> t.payload);
  }

  private void fail(Build b, StageDeadline d, Instant now) {
    BuildFailed.Stage stage = StageDeadlines.stageOf(d.status);
    String message =
        stageName(d.status)
            + " did not finish before its deadline ("
            + rule.budget(d.status).orElseThrow()
            + ", re-driven "
            + d.redrives
            + " time(s))";
    String why = FailureClass.DEADLINE + ": " + message;
    versions
        .byBuildForUpdate(b.buildId)
        .ifPresent(
            v -> {
              if (VersionLifecycle.failed(v, b, why, now)) {
                b.failureStage = stageName(d.status);
                b.failureReason = why;
                outcomes.finished(b, now);
              }
            });
    d.expiredAt = now;
    outbox.add(
        new BuildFailed(
            b.buildId,
            b.family,
            b.version,
            stage,
            FailureClass.DEADLINE,
            message,
            resources(b),
            now));
    timeline.recordAction(
        b.buildId,
        "WATCHDOG_DEADLINE",
        stageName(d.status),
        "failed:" + FailureClass.DEADLINE,
        Map.of("message", message),
        now);
    Log.errorf("build failed on its deadline build_id=%s %s", b.buildId, message);
  }

  /** The builder and the snapshot the registry knows of, so the janitor removes them. */
  private List<ResourceRef> resources(Build b) {
    List<ResourceRef> refs = new ArrayList<>();
    timelineRows
        .last(b.buildId, EventType.BUILDER_READY.name())
        .map(t -> t.payload)
        .ifPresent(p -> refs.add(new ResourceRef(ResourceRef.Kind.SERVER, serverId(p))));
    if (b.imageId != null) {
      refs.add(new ResourceRef(ResourceRef.Kind.IMAGE, b.imageId));
    }
    return refs;
  }

  private static long serverId(String builderReadyJson) {
    return EventCodec.fromJson(builderReadyJson, BuilderReady.class).serverId();
  }

  private static String stageName(BuildStatus status) {
    return StageDeadlines.stageOf(status).name().toLowerCase(Locale.ROOT);
  }
}
