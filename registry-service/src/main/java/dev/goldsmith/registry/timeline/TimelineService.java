package dev.goldsmith.registry.timeline;

import java.time.Clock;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import com.fasterxml.jackson.core.JsonProcessingException;

import io.quarkus.logging.Log;

import dev.goldsmith.events.BuildAccepted;
import dev.goldsmith.events.BuildFailed;
import dev.goldsmith.events.BuildRejected;
import dev.goldsmith.events.BuildRequested;
import dev.goldsmith.events.BuilderConfigured;
import dev.goldsmith.events.BuilderReady;
import dev.goldsmith.events.EventCodec;
import dev.goldsmith.events.ImagePromoted;
import dev.goldsmith.events.PipelineEvent;
import dev.goldsmith.events.SnapshotCreated;
import dev.goldsmith.events.VerificationFinished;
import dev.goldsmith.registry.domain.Build;
import dev.goldsmith.registry.domain.BuildRepository;
import dev.goldsmith.registry.domain.BuildStatus;
import dev.goldsmith.registry.domain.ImageVersion;
import dev.goldsmith.registry.domain.ImageVersionRepository;
import dev.goldsmith.registry.domain.TimelineEvent;
import dev.goldsmith.registry.domain.TimelineRepository;
import dev.goldsmith.registry.metrics.BuildOutcomes;
import dev.goldsmith.registry.promotion.VersionLifecycle;

/**
 * Records every pipeline event per build (stage, time, outcome, payload) and moves the build's
 * status along. A record seen before (same CloudEvents id) is skipped.
 */
@ApplicationScoped
public class TimelineService {

  /** Metrics of builds that reach a terminal status. */
  @Inject BuildOutcomes outcomes;

  private final TimelineRepository timeline;
  private final BuildRepository builds;
  private final ImageVersionRepository versions;
  private final Clock clock;

  public TimelineService(
      TimelineRepository timeline,
      BuildRepository builds,
      ImageVersionRepository versions,
      Clock clock) {
    this.timeline = timeline;
    this.builds = builds;
    this.versions = versions;
    this.clock = clock;
  }

  /**
   * Records an event in the caller's transaction (or a new one).
   *
   * @return false when the record had been seen before
   */
  @Transactional
  public boolean record(PipelineEvent event, String ceId) {
    if (timeline.seen(ceId)) {
      Log.debugf("record seen before ce_id=%s build_id=%s", ceId, event.buildId());
      return false;
    }
    TimelineEvent row = new TimelineEvent();
    row.buildId = event.buildId();
    row.ceId = ceId;
    row.eventType = event.type().name();
    row.stage = stage(event);
    String outcome = outcome(event);
    row.outcome = outcome.length() > 100 ? outcome.substring(0, 100) : outcome;
    row.occurredAt = event.occurredAt();
    row.recordedAt = clock.instant();
    row.payload = EventCodec.toJson(event);
    timeline.persist(row);
    apply(event);
    return true;
  }

  /**
   * Records something the registry itself did for a build (an operator's promotion or revocation:
   * who and why), in the caller's transaction.
   */
  @Transactional(Transactional.TxType.MANDATORY)
  public void recordAction(
      UUID buildId,
      String type,
      String stage,
      String outcome,
      Map<String, String> details,
      Instant at) {
    TimelineEvent row = new TimelineEvent();
    row.buildId = buildId;
    row.eventType = type;
    row.stage = stage;
    row.outcome = outcome.length() > 100 ? outcome.substring(0, 100) : outcome;
    row.occurredAt = at;
    row.recordedAt = clock.instant();
    try {
      row.payload = EventCodec.mapper().writeValueAsString(details);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
    timeline.persist(row);
  }

  /** Moves the build (and its version) along; statuses change only in {@link VersionLifecycle}. */
  private void apply(PipelineEvent event) {
    if (event.buildId() == null) {
      return;
    }
    Build b = builds.findById(event.buildId());
    if (b == null) {
      return;
    }
    Instant now = clock.instant();
    if (event instanceof BuilderReady) {
      VersionLifecycle.buildProgressed(b, BuildStatus.PROVISIONED, now);
    } else if (event instanceof BuilderConfigured c
        && c.outcome() == BuilderConfigured.Outcome.OK) {
      VersionLifecycle.buildProgressed(b, BuildStatus.CONFIGURED, now);
    } else if (event instanceof SnapshotCreated s) {
      if (b.status.inProgress()) {
        b.imageId = s.imageId();
      }
      versions
          .byBuildForUpdate(b.buildId)
          .filter(v -> v.status.inProgress())
          .ifPresent(v -> VersionLifecycle.snapshotCreated(v, b, s.imageId(), now));
    } else if (event instanceof BuildFailed f && b.status.inProgress()) {
      String why = f.reasonClass() + ": " + f.message();
      versions
          .byBuildForUpdate(b.buildId)
          .ifPresent(
              (ImageVersion v) -> {
                if (VersionLifecycle.failed(v, b, why, now)) {
                  b.failureStage = f.stage().name().toLowerCase(Locale.ROOT);
                  b.failureReason = why;
                  outcomes.finished(b, now);
                }
              });
    }
  }

  /** The pipeline stage an event belongs to. */
  public static String stage(PipelineEvent event) {
    if (event instanceof BuildRequested
        || event instanceof BuildAccepted
        || event instanceof BuildRejected) {
      return "intake";
    } else if (event instanceof BuilderReady) {
      return "provision";
    } else if (event instanceof BuilderConfigured) {
      return "configure";
    } else if (event instanceof SnapshotCreated) {
      return "snapshot";
    } else if (event instanceof VerificationFinished) {
      return "verify";
    } else if (event instanceof ImagePromoted) {
      return "promote";
    } else if (event instanceof BuildFailed f) {
      return f.stage().name().toLowerCase(Locale.ROOT);
    }
    return "unknown";
  }

  /** What the event says happened, in a word. */
  public static String outcome(PipelineEvent event) {
    if (event instanceof BuildRequested) {
      return "requested";
    } else if (event instanceof BuildAccepted) {
      return "accepted";
    } else if (event instanceof BuildRejected) {
      return "rejected";
    } else if (event instanceof BuilderReady) {
      return "ready";
    } else if (event instanceof BuilderConfigured c) {
      return c.outcome().name().toLowerCase(Locale.ROOT);
    } else if (event instanceof SnapshotCreated) {
      return "created";
    } else if (event instanceof VerificationFinished v) {
      return v.verdict().name().toLowerCase(Locale.ROOT);
    } else if (event instanceof ImagePromoted p) {
      return p.actor() == null || ImagePromoted.AUTOMATIC_ACTOR.equals(p.actor())
          ? "promoted"
          : "promoted by " + p.actor() + ": " + p.reason();
    } else if (event instanceof BuildFailed f) {
      return "failed:" + f.reasonClass();
    }
    return "unknown";
  }
}
