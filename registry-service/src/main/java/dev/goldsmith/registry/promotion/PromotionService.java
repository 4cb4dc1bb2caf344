package dev.goldsmith.registry.promotion;

import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.quarkus.narayana.jta.QuarkusTransaction;

import dev.goldsmith.events.BuildFailed;
import dev.goldsmith.events.BuildSpec;
import dev.goldsmith.events.EventCodec;
import dev.goldsmith.events.Verdict;
import dev.goldsmith.events.VerificationFinished;
import dev.goldsmith.registry.cloud.RegistryCloud;
import dev.goldsmith.registry.domain.Build;
import dev.goldsmith.registry.domain.BuildRepository;
import dev.goldsmith.registry.domain.BuildStatus;
import dev.goldsmith.registry.domain.CloudTask;
import dev.goldsmith.registry.domain.CloudTaskRepository;
import dev.goldsmith.registry.domain.ImageVersion;
import dev.goldsmith.registry.domain.ImageVersionRepository;
import dev.goldsmith.registry.domain.VersionStatus;
import dev.goldsmith.registry.messaging.Outbox;

/**
 * Decisions on verified builds: promotion (automatic on PASSED, manual for rollback), rejection,
 * keeping unverified snapshots, revocation. Each decision is one transaction that also writes the
 * cloud tasks and events it implies; {@link CloudTaskRunner} carries out the cloud part afterwards.
 */
@ApplicationScoped
public class PromotionService {
  private final BuildRepository builds;
  private final ImageVersionRepository versions;
  private final CloudTaskRepository tasks;
  private final Outbox outbox;
  private final EntityManager em;
  private final RegistryCloud cloud;
  private final MeterRegistry metrics;

  public PromotionService(
      BuildRepository builds,
      ImageVersionRepository versions,
      CloudTaskRepository tasks,
      Outbox outbox,
      EntityManager em,
      RegistryCloud cloud,
      MeterRegistry metrics) {
    this.builds = builds;
    this.versions = versions;
    this.tasks = tasks;
    this.outbox = outbox;
    this.em = em;
    this.cloud = cloud;
    this.metrics = metrics;
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
    Instant now = Instant.now();
    if (!version.status.inProgress() && version.status != VersionStatus.REVOKED) {
      Log.infof(
          "verdict seen before build_id=%s version=%s status=%s",
          v.buildId(), version.version, version.status);
      return false;
    }
    if (version.status == VersionStatus.REVOKED && b.verdict != null) {
      return false;
    }
    b.verdict = v.verdict().name();
    b.reportJson = EventCodec.toJson(v.report());
    b.imageId = v.imageId();
    b.updatedAt = now;
    if (version.imageId == null) {
      version.imageId = v.imageId();
    }
    version.updatedAt = now;
    metrics
        .counter(
            "goldsmith.registry.verdicts", "verdict", v.verdict().name().toLowerCase(Locale.ROOT))
        .increment();
    if (version.status == VersionStatus.REVOKED) {
      b.status = v.verdict() == Verdict.PASSED ? BuildStatus.VERIFIED : BuildStatus.DEFECTIVE;
      enqueueDeletion(version, now);
      Log.infof("revoked version verified; snapshot deleted build_id=%s", v.buildId());
      return true;
    }
    switch (v.verdict()) {
      case PASSED -> {
        version.verifiedAt = now;
        promote(version, b, now);
      }
      case ARTIFACT_DEFECT -> {
        version.status = VersionStatus.REJECTED;
        b.status = BuildStatus.DEFECTIVE;
        b.failureStage = "verify";
        b.failureReason = "artifact_defect: " + v.report().summary();
        enqueueDeletion(version, now);
        outbox.add(failed(b, version, "artifact_defect", v.report().summary(), now));
      }
      case CHANNEL_FAILURE, INFRA_FAILURE -> {
        String reason = v.verdict().name().toLowerCase(Locale.ROOT);
        version.status = VersionStatus.UNVERIFIED;
        b.status = BuildStatus.UNVERIFIED;
        b.failureStage = "verify";
        b.failureReason = reason + ": " + v.report().summary();
        outbox.add(failed(b, version, reason, v.report().summary(), now));
      }
    }
    return true;
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

  /**
   * Makes {@code version} the family's promoted one: demotes the current one, marks this one, and
   * writes the PROMOTE task. The partial unique index guarantees one promoted version per family;
   * the advisory lock serializes promotions of a family.
   */
  @Transactional(Transactional.TxType.MANDATORY)
  public CloudTask promote(ImageVersion version, Build build, Instant now) {
    em.createNativeQuery("select pg_advisory_xact_lock(hashtext(?1))")
        .setParameter(1, "promote:" + version.family)
        .getSingleResult();
    Optional<ImageVersion> current = versions.promoted(version.family);
    Long previousImage = null;
    if (current.isPresent() && !current.get().id.equals(version.id)) {
      ImageVersion c = current.get();
      c.status = VersionStatus.VERIFIED;
      c.supersededAt = now;
      c.updatedAt = now;
      previousImage = c.imageId;
      versions.flush();
    }
    version.status = VersionStatus.PROMOTED;
    version.promotedAt = now;
    version.updatedAt = now;
    if (version.verifiedAt == null) {
      version.verifiedAt = now;
    }
    build.status = BuildStatus.PROMOTED;
    build.updatedAt = now;
    versions.flush();
    CloudTask task = newTask(CloudTask.Kind.PROMOTE, version, CloudTask.Step.PROTECT, now);
    task.previousImageId = previousImage;
    tasks.persist(task);
    metrics.counter("goldsmith.registry.promotions").increment();
    Log.infof(
        "version promoted family=%s version=%s image_id=%d previous_image_id=%s build_id=%s",
        version.family, version.version, version.imageId, previousImage, version.buildId);
    return task;
  }

  /**
   * Promotes a verified version by hand (a rollback, or a version revoked from nothing): it must be
   * VERIFIED, not revoked, and its snapshot must still exist on Hetzner.
   */
  public ImageVersion promoteManually(String family, String version) {
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
    if (v.status != VersionStatus.VERIFIED) {
      throw new PromotionRefused(
          PromotionRefused.Reason.CONFLICT,
          "version " + version + " is " + v.status + "; only a VERIFIED version can be promoted");
    }
    if (!v.hasImage()) {
      throw new PromotionRefused(
          PromotionRefused.Reason.CONFLICT, "the snapshot of version " + version + " was deleted");
    }
    if (cloud.image(v.imageId).isEmpty()) {
      QuarkusTransaction.requiringNew()
          .run(() -> versions.markImageDeleted(v.imageId, Instant.now()));
      throw new PromotionRefused(
          PromotionRefused.Reason.CONFLICT,
          "the snapshot of version " + version + " (image " + v.imageId + ") no longer exists");
    }
    return QuarkusTransaction.requiringNew()
        .call(
            () -> {
              ImageVersion locked =
                  versions.byBuildForUpdate(v.buildId).orElseThrow(IllegalStateException::new);
              if (locked.status != VersionStatus.VERIFIED) {
                throw new PromotionRefused(
                    PromotionRefused.Reason.CONFLICT,
                    "version " + version + " changed meanwhile: now " + locked.status);
              }
              promote(locked, builds.findById(locked.buildId), Instant.now());
              return locked;
            });
  }

  /** Revokes a version: it can never be promoted again; its snapshot is deleted. */
  public ImageVersion revoke(String family, String version) {
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
              Instant now = Instant.now();
              boolean inProgress = v.status.inProgress();
              v.status = VersionStatus.REVOKED;
              v.revokedAt = now;
              v.updatedAt = now;
              // A snapshot under verification is deleted when its verdict arrives.
              if (!inProgress) {
                enqueueDeletion(v, now);
              }
              Log.infof("version revoked family=%s version=%s", family, version);
              return v;
            });
  }

  private void enqueueDeletion(ImageVersion v, Instant now) {
    if (v.hasImage() && !tasks.openDeletion(v.imageId)) {
      tasks.persist(newTask(CloudTask.Kind.DELETE_IMAGE, v, CloudTask.Step.DELETE, now));
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
