package dev.goldsmith.registry.timeline;

import java.time.Instant;
import java.util.Locale;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

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
import dev.goldsmith.registry.domain.VersionStatus;

/**
 * Records every pipeline event per build (stage, time, outcome, payload) and moves the build's
 * status along. A record seen before (same CloudEvents id) is skipped.
 */
@ApplicationScoped
public class TimelineService {
  private final TimelineRepository timeline;
  private final BuildRepository builds;
  private final ImageVersionRepository versions;

  public TimelineService(
      TimelineRepository timeline, BuildRepository builds, ImageVersionRepository versions) {
    this.timeline = timeline;
    this.builds = builds;
    this.versions = versions;
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
    row.recordedAt = Instant.now();
    row.payload = EventCodec.toJson(event);
    timeline.persist(row);
    apply(event);
    return true;
  }

  private void apply(PipelineEvent event) {
    if (event.buildId() == null) {
      return;
    }
    Build b = builds.findById(event.buildId());
    if (b == null) {
      return;
    }
    Instant now = Instant.now();
    if (event instanceof BuilderReady) {
      advance(b, BuildStatus.PROVISIONED, now);
    } else if (event instanceof BuilderConfigured c
        && c.outcome() == BuilderConfigured.Outcome.OK) {
      advance(b, BuildStatus.CONFIGURED, now);
    } else if (event instanceof SnapshotCreated s) {
      b.imageId = s.imageId();
      advance(b, BuildStatus.SNAPSHOTTED, now);
      versions
          .byBuild(b.buildId)
          .ifPresent(
              v -> {
                v.imageId = s.imageId();
                if (v.status == VersionStatus.BUILDING) {
                  v.status = VersionStatus.CANDIDATE;
                }
                v.updatedAt = now;
              });
    } else if (event instanceof BuildFailed f && b.status.inProgress()) {
      b.status = BuildStatus.FAILED;
      b.failureStage = f.stage().name().toLowerCase(Locale.ROOT);
      b.failureReason = f.reasonClass() + ": " + f.message();
      b.updatedAt = now;
      versions
          .byBuild(b.buildId)
          .filter(v -> v.status.inProgress())
          .ifPresent(
              (ImageVersion v) -> {
                v.status = VersionStatus.FAILED;
                v.updatedAt = now;
              });
    }
  }

  /** Moves an in-progress build forward only (records may arrive late or twice). */
  private static void advance(Build b, BuildStatus to, Instant now) {
    if (b.status.inProgress() && b.status.ordinal() < to.ordinal()) {
      b.status = to;
      b.updatedAt = now;
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
    } else if (event instanceof ImagePromoted) {
      return "promoted";
    } else if (event instanceof BuildFailed f) {
      return "failed:" + f.reasonClass();
    }
    return "unknown";
  }
}
