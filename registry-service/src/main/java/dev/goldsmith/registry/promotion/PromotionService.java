package dev.goldsmith.registry.promotion;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.quarkus.narayana.jta.QuarkusTransaction;

import dev.goldsmith.events.BuildFailed;
import dev.goldsmith.events.BuildSpec;
import dev.goldsmith.events.Digests;
import dev.goldsmith.events.EventCodec;
import dev.goldsmith.events.ImagePromoted;
import dev.goldsmith.events.Provenance;
import dev.goldsmith.events.Verdict;
import dev.goldsmith.events.VerificationFinished;
import dev.goldsmith.registry.cloud.RegistryCloud;
import dev.goldsmith.registry.domain.Build;
import dev.goldsmith.registry.domain.BuildRepository;
import dev.goldsmith.registry.domain.CloudTask;
import dev.goldsmith.registry.domain.CloudTaskRepository;
import dev.goldsmith.registry.domain.ImageVersion;
import dev.goldsmith.registry.domain.ImageVersionRepository;
import dev.goldsmith.registry.domain.VersionStatus;
import dev.goldsmith.registry.messaging.Outbox;
import dev.goldsmith.registry.metrics.BuildOutcomes;
import dev.goldsmith.registry.timeline.TimelineService;

/**
 * Decisions on verified builds: monotonic promotion (automatic on PASSED only when higher than the
 * promoted version), rollback by an operator, rejection, revocation. Each decision is one
 * transaction that also writes the cloud tasks and events it implies; statuses change only through
 * {@link VersionLifecycle}; {@link CloudTaskRunner} carries out the cloud part afterwards.
 */
@ApplicationScoped
public class PromotionService {

  /** Metrics of builds that reach a terminal status. */
  @Inject BuildOutcomes outcomes;

  private final BuildRepository builds;
  private final ImageVersionRepository versions;
  private final CloudTaskRepository tasks;
  private final Outbox outbox;
  private final EntityManager em;
  private final RegistryCloud cloud;
  private final TimelineService timeline;
  private final MeterRegistry metrics;
  private final Clock clock;

  public PromotionService(
      BuildRepository builds,
      ImageVersionRepository versions,
      CloudTaskRepository tasks,
      Outbox outbox,
      EntityManager em,
      RegistryCloud cloud,
      TimelineService timeline,
      MeterRegistry metrics,
      Clock clock) {
    this.builds = builds;
    this.versions = versions;
    this.tasks = tasks;
    this.outbox = outbox;
    this.em = em;
    this.cloud = cloud;
    this.timeline = timeline;
    this.metrics = metrics;
    this.clock = clock;
  }

  /**
   * Applies a verdict in the caller's transaction. Idempotent: a version already past verification
   * is left alone.
   *
   * @return true when something was decided (tasks or events may be pending)
   */
  @Transactional(Transactional.TxType.MANDATORY)
  public boolean onVerification(VerificationFinished v) {
    Optional<ImageVersion> found = versions.byBuildForUpdate(v.buildId());
    Build b = builds.findById(v.buildId());
    if (found.isEmpty() || b == null) {
      Log.warnf("verdict for a build this registry did not accept build_id=%s", v.buildId());
      return false;
    }
    ImageVersion version = found.get();
    Instant now = clock.instant();
    boolean revoked = version.status == VersionStatus.REVOKED;
    boolean running = b.status.inProgress();
    if ((!version.status.inProgress() && !revoked) || (revoked && b.verdict != null)) {
      Log.infof(
          "verdict seen before build_id=%s version=%s status=%s",
          v.buildId(), version.version, version.status);
      return false;
    }
    b.verdict = v.verdict().name();
    b.reportJson = EventCodec.toJson(v.report());
    b.provenanceJson = provenanceJson(v);
    b.imageId = v.imageId();
    b.updatedAt = now;
    if (version.imageId == null) {
      version.imageId = v.imageId();
    }
    metrics
        .counter(
            "goldsmith.registry.verdicts", "verdict", v.verdict().name().toLowerCase(Locale.ROOT))
        .increment();
    if (revoked) {
      VersionLifecycle.verdictOnRevoked(version, b, v.verdict() == Verdict.PASSED, now);
      enqueueDeletion(version, "revoked", now);
      Log.infof("revoked version verified; snapshot deleted build_id=%s", v.buildId());
      if (running && !b.status.inProgress()) {
        outcomes.finished(b, now);
      }
      return true;
    }
    switch (v.verdict()) {
      case PASSED -> promoteIfHigher(version, b, now);
      case ARTIFACT_DEFECT -> {
        String why = "artifact_defect: " + v.report().summary();
        VersionLifecycle.defective(version, b, why, now);
        b.failureStage = "verify";
        b.failureReason = why;
        enqueueDeletion(version, "artifact defect", now);
        outbox.add(failed(b, version, "artifact_defect", v.report().summary(), now));
      }
      case CHANNEL_FAILURE, INFRA_FAILURE -> {
        String reason = v.verdict().name().toLowerCase(Locale.ROOT);
        String why = reason + ": " + v.report().summary();
        VersionLifecycle.unverified(version, b, why, now);
        b.failureStage = "verify";
        b.failureReason = why;
        outbox.add(failed(b, version, reason, v.report().summary(), now));
      }
    }
    if (running && !b.status.inProgress()) {
      outcomes.finished(b, now);
    }
    return true;
  }

  /**
   * The verdict's provenance as JSON; the report digest computed here when the verifier sent none
   * (a verifier from before provenance), so every verified build has one.
   */
  static String provenanceJson(VerificationFinished v) {
    Provenance p = v.provenance();
    if (p == null || p.reportSha256() == null) {
      p = Provenance.withReportSha256(p, Digests.sha256OfJson(v.report()));
    }
    return EventCodec.toJson(p);
  }

  /** The report digest of the build of {@code family}/{@code version}, null when none is known. */
  public String reportSha256(String family, String version) {
    return versions
        .byFamilyAndVersion(family, version)
        .map(v -> builds.findById(v.buildId))
        .map(b -> b.provenanceJson)
        .map(j -> EventCodec.fromJson(j, Provenance.class).reportSha256())
        .orElse(null);
  }

  /**
   * Monotonic promotion: the verified version becomes the promoted one only when it is higher than
   * the promoted one; otherwise it stays VERIFIED and its snapshot goes, with the reason.
   */
  private void promoteIfHigher(ImageVersion version, Build b, Instant now) {
    lockFamily(version.family);
    Optional<ImageVersion> current = versions.promoted(version.family);
    if (current.isPresent() && !VersionOrder.higher(version, current.get())) {
      String why = "not higher than the promoted version " + current.get().version;
      VersionLifecycle.verifiedNotPromoted(version, b, why, now);
      enqueueDeletion(version, "verified but " + why, now);
      Log.infof(
          "verified version not promoted family=%s version=%s promoted=%s",
          version.family, version.version, current.get().version);
      return;
    }
    promote(version, b, now, ImagePromoted.AUTOMATIC_ACTOR, "verified");
  }

  private static BuildFailed failed(
      Build b, ImageVersion v, String reasonClass, String message, Instant now) {
    return new BuildFailed(
        b.buildId,
        v.family,
        v.version,
        BuildFailed.Stage.VERIFY,
        reasonClass,
        message == null ? "" : message,
        List.of(),
        now);
  }

  /** Serializes promotions of a family (across instances: a transaction-scoped advisory lock). */
  private void lockFamily(String family) {
    em.createNativeQuery("select pg_advisory_xact_lock(hashtext(?1))")
        .setParameter(1, "promote:" + family)
        .getSingleResult();
  }

  /**
   * Makes {@code version} the family's promoted one: supersedes the current one, marks this one,
   * and writes the PROMOTE task carrying who and why. The partial unique index guarantees one
   * promoted version per family.
   */
  private CloudTask promote(
      ImageVersion version, Build build, Instant now, String actor, String reason) {
    lockFamily(version.family);
    Optional<ImageVersion> current = versions.promoted(version.family);
    Long previousImage = null;
    if (current.isPresent() && !current.get().id.equals(version.id)) {
      ImageVersion c = current.get();
      VersionLifecycle.superseded(c, builds.findById(c.buildId), version.version, now);
      previousImage = c.imageId;
      versions.flush();
    }
    VersionLifecycle.promoted(version, build, now);
    versions.flush();
    CloudTask task = newTask(CloudTask.Kind.PROMOTE, version, CloudTask.Step.PROTECT, now);
    task.previousImageId = previousImage;
    task.actor = actor;
    task.reason = reason;
    tasks.persist(task);
    metrics.counter("goldsmith.registry.promotions").increment();
    Log.infof(
        "version promoted family=%s version=%s image_id=%d previous_image_id=%s build_id=%s actor=%s",
        version.family, version.version, version.imageId, previousImage, version.buildId, actor);
    return task;
  }

  /**
   * Promotes a version by hand: the explicit rollback (or manual promotion) of an operator, the
   * only way the promoted version moves back. It must be VERIFIED or SUPERSEDED and its snapshot
   * must still exist on Hetzner. Who and why go to the timeline and the ImagePromoted event.
   */
  public ImageVersion promoteManually(String family, String version, String actor, String reason) {
    ImageVersion v =
        QuarkusTransaction.requiringNew()
            .call(() -> versions.byFamilyAndVersion(family, version))
            .orElseThrow(
                () ->
                    new PromotionRefused(
                        PromotionRefused.Reason.NOT_FOUND,
                        "family " + family + " has no version " + version));
    if (v.status == VersionStatus.PROMOTED) {
      throw new PromotionRefused(
          PromotionRefused.Reason.CONFLICT, "version " + version + " is already promoted");
    }
    if (!VersionStatus.PROMOTABLE.contains(v.status)) {
      throw new PromotionRefused(
          PromotionRefused.Reason.CONFLICT,
          "version "
              + version
              + " is "
              + v.status
              + "; only a VERIFIED or SUPERSEDED version can be promoted");
    }
    if (!v.hasImage()) {
      throw new PromotionRefused(
          PromotionRefused.Reason.CONFLICT, "the snapshot of version " + version + " was deleted");
    }
    if (cloud.image(v.imageId).isEmpty()) {
      QuarkusTransaction.requiringNew()
          .run(() -> snapshotGone(v.imageId, "found missing on Hetzner"));
      throw new PromotionRefused(
          PromotionRefused.Reason.CONFLICT,
          "the snapshot of version " + version + " (image " + v.imageId + ") no longer exists");
    }
    return QuarkusTransaction.requiringNew()
        .call(
            () -> {
              ImageVersion locked =
                  versions.byBuildForUpdate(v.buildId).orElseThrow(IllegalStateException::new);
              if (!VersionStatus.PROMOTABLE.contains(locked.status)) {
                throw new PromotionRefused(
                    PromotionRefused.Reason.CONFLICT,
                    "version " + version + " changed meanwhile: now " + locked.status);
              }
              Instant now = clock.instant();
              promote(locked, builds.findById(locked.buildId), now, actor, reason);
              timeline.recordAction(
                  locked.buildId,
                  "OPERATOR_PROMOTE",
                  "promote",
                  "promoted by " + actor,
                  Map.of("actor", actor, "reason", reason, "version", version),
                  now);
              return locked;
            });
  }

  /** Revokes a version: it can never be promoted again; its snapshot is deleted. */
  public ImageVersion revoke(String family, String version, String actor, String reason) {
    return QuarkusTransaction.requiringNew()
        .call(
            () -> {
              ImageVersion v =
                  versions
                      .byFamilyAndVersion(family, version)
                      .flatMap(found -> versions.byBuildForUpdate(found.buildId))
                      .orElseThrow(
                          () ->
                              new PromotionRefused(
                                  PromotionRefused.Reason.NOT_FOUND,
                                  "family " + family + " has no version " + version));
              if (v.status == VersionStatus.REVOKED) {
                return v;
              }
              if (v.status == VersionStatus.PROMOTED) {
                throw new PromotionRefused(
                    PromotionRefused.Reason.CONFLICT,
                    "version "
                        + version
                        + " is the promoted one; promote another version before revoking it");
              }
              Instant now = clock.instant();
              boolean inProgress = v.status.inProgress();
              VersionLifecycle.revoked(v, builds.findById(v.buildId), actor, reason, now);
              // A snapshot under verification is deleted when its verdict arrives.
              if (!inProgress) {
                enqueueDeletion(v, "revoked", now);
              }
              timeline.recordAction(
                  v.buildId,
                  "OPERATOR_REVOKE",
                  "promote",
                  "revoked by " + actor,
                  Map.of("actor", actor, "reason", reason, "version", version),
                  now);
              Log.infof("version revoked family=%s version=%s actor=%s", family, version, actor);
              return v;
            });
  }

  /** Records in the caller's transaction that an image is gone, on whichever version held it. */
  @Transactional(Transactional.TxType.MANDATORY)
  public void snapshotGone(long imageId, String why) {
    versions
        .holdingImageForUpdate(imageId)
        .ifPresent(
            v ->
                VersionLifecycle.snapshotDeleted(
                    v, builds.findById(v.buildId), why, clock.instant()));
  }

  private void enqueueDeletion(ImageVersion v, String why, Instant now) {
    if (v.hasImage() && !tasks.openDeletion(v.imageId)) {
      CloudTask t = newTask(CloudTask.Kind.DELETE_IMAGE, v, CloudTask.Step.DELETE, now);
      t.reason = why;
      tasks.persist(t);
    }
  }

  private static CloudTask newTask(
      CloudTask.Kind kind, ImageVersion v, CloudTask.Step step, Instant now) {
    CloudTask t = new CloudTask();
    t.kind = kind;
    t.family = v.family;
    t.version = v.version;
    t.buildId = v.buildId;
    t.imageId = v.imageId;
    t.step = step;
    t.nextAttemptAt = now;
    t.createdAt = now;
    t.updatedAt = now;
    return t;
  }

  /** How many previously promoted versions the family keeps, from the build's resolved spec. */
  public int keepPrevious(UUID buildId) {
    Build b = builds.findById(buildId);
    if (b == null || b.specJson == null) {
      return 0;
    }
    try {
      return EventCodec.mapper().readValue(b.specJson, BuildSpec.class).keepPrevious();
    } catch (Exception e) {
      return 0;
    }
  }
}
