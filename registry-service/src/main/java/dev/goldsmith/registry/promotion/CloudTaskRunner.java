package dev.goldsmith.registry.promotion;

import java.lang.management.ManagementFactory;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.MDC;

import io.quarkus.logging.Log;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;

import dev.goldsmith.events.ImagePromoted;
import dev.goldsmith.registry.cloud.RegistryCloud;
import dev.goldsmith.registry.config.RegistryConfig;
import dev.goldsmith.registry.domain.CloudTask;
import dev.goldsmith.registry.domain.CloudTaskRepository;
import dev.goldsmith.registry.domain.ImageVersion;
import dev.goldsmith.registry.domain.ImageVersionRepository;
import dev.goldsmith.registry.domain.VersionStatus;
import dev.goldsmith.registry.messaging.Outbox;
import dev.goldsmith.registry.messaging.OutboxPublisher;

/**
 * Carries out cloud tasks step by step, recording each finished step in the database before the
 * next, so a crash at any point resumes at the step that did not finish. Each task is claimed with
 * {@code SELECT … FOR UPDATE SKIP LOCKED} and a lease ({@code tasks.lease}), renewed at every step:
 * several instances never run one task at once, and a task of a dead instance is taken over when
 * its lease expires. A failing step is retried with backoff and parked as FAILED (reason in {@code
 * lastError}, visible at {@code GET /api/operations/parked}) after {@code tasks.max-attempts}; it
 * never blocks other tasks.
 */
@ApplicationScoped
public class CloudTaskRunner {
  private final CloudTaskRepository tasks;
  private final ImageVersionRepository versions;
  private final PromotionService promotions;
  private final FamilyCleanup cleanup;
  private final RegistryCloud cloud;
  private final Outbox outbox;
  private final OutboxPublisher publisher;
  private final RegistryConfig config;
  private final Clock clock;
  private final String owner =
      ManagementFactory.getRuntimeMXBean().getName() + "/" + UUID.randomUUID();
  private final ReentrantLock lock = new ReentrantLock();
  private final AtomicBoolean again = new AtomicBoolean();
  private final ExecutorService executor =
      Executors.newSingleThreadExecutor(
          r -> {
            Thread t = new Thread(r, "registry-cloud-tasks");
            t.setDaemon(true);
            return t;
          });

  public CloudTaskRunner(
      CloudTaskRepository tasks,
      ImageVersionRepository versions,
      PromotionService promotions,
      FamilyCleanup cleanup,
      RegistryCloud cloud,
      Outbox outbox,
      OutboxPublisher publisher,
      RegistryConfig config,
      Clock clock) {
    this.tasks = tasks;
    this.versions = versions;
    this.promotions = promotions;
    this.cleanup = cleanup;
    this.cloud = cloud;
    this.outbox = outbox;
    this.publisher = publisher;
    this.config = config;
    this.clock = clock;
  }

  /** Runs due tasks soon on the runner's thread, unless disabled for crash tests. */
  public void afterCommit() {
    if (config.tasks().runAfterCommit()) {
      executor.execute(this::runPending);
    }
  }

  /**
   * Resumes due tasks: first shortly after startup (whatever a previous process committed but did
   * not finish), then every resume interval.
   */
  @Scheduled(
      every = "${goldsmith.registry.tasks.resume-interval:30s}",
      delayed = "${goldsmith.registry.tasks.startup-delay:5s}",
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
      skipExecutionIf = Scheduled.ApplicationNotRunning.class)
  void scheduled() {
    runPending();
  }

  /**
   * Claims and runs due tasks one by one until none is left. Serialized within the instance: a call
   * while another runs makes that one go round again.
   *
   * @return how many tasks reached DONE in this call
   */
  public int runPending() {
    if (!lock.tryLock()) {
      again.set(true);
      return 0;
    }
    int done = 0;
    try {
      do {
        again.set(false);
        Optional<Long> next;
        while ((next = claim()).isPresent()) {
          if (run(next.get())) {
            done++;
          }
        }
      } while (again.get());
    } catch (RuntimeException e) {
      Log.errorf(e, "cloud task run failed");
    } finally {
      lock.unlock();
    }
    publisher.flushSoon();
    return done;
  }

  private Optional<Long> claim() {
    return QuarkusTransaction.requiringNew()
        .call(
            () -> {
              Instant now = clock.instant();
              return tasks.claimNext(owner, now, now.plus(config.tasks().lease())).map(t -> t.id);
            });
  }

  /** Runs one claimed task from its current step; true when it reached DONE. */
  private boolean run(long id) {
    CloudTask task = QuarkusTransaction.requiringNew().call(() -> tasks.findById(id));
    if (task.buildId != null) {
      MDC.put("buildId", task.buildId.toString());
    }
    try {
      while (task.step != CloudTask.Step.DONE && task.step != CloudTask.Step.FAILED) {
        CloudTask.Step next = step(task);
        task = advance(id, next);
      }
      return task.step == CloudTask.Step.DONE;
    } catch (RuntimeException e) {
      fail(id, e);
      return false;
    } finally {
      MDC.remove("buildId");
    }
  }

  private CloudTask.Step step(CloudTask task) {
    switch (task.step) {
      case PROTECT:
        return protect(task);
      case CLEANUP:
        cleanup.clean(task.family);
        return CloudTask.Step.DONE;
      case DELETE:
        cleanup.delete(task.imageId, task.reason == null ? "deleted" : task.reason);
        return CloudTask.Step.DONE;
      default:
        throw new IllegalStateException("no step " + task.step);
    }
  }

  /**
   * Labels and protects the promoted image (recording that Goldsmith set the protection), then
   * publishes ImagePromoted, with who and why, in the step's commit.
   */
  private CloudTask.Step protect(CloudTask task) {
    boolean stillPromoted =
        QuarkusTransaction.requiringNew()
            .call(
                () ->
                    versions
                        .byFamilyAndVersion(task.family, task.version)
                        .filter(v -> v.status == VersionStatus.PROMOTED)
                        .isPresent());
    if (!stillPromoted) {
      // A higher version (or a rollback) replaced it before this step ran, e.g. while the task
      // waited for the lease of a dead instance: nothing to protect or announce; retention decides.
      Log.infof(
          "promotion superseded before its image was protected family=%s version=%s image_id=%d",
          task.family, task.version, task.imageId);
      return CloudTask.Step.CLEANUP;
    }
    recordProtectionAhead(task);
    String reportSha256 =
        QuarkusTransaction.requiringNew()
            .call(() -> promotions.reportSha256(task.family, task.version));
    RegistryCloud.Marked marked = cloud.markPromoted(task.imageId, reportSha256);
    if (marked == RegistryCloud.Marked.MISSING) {
      Log.errorf(
          "promoted image does not exist family=%s version=%s image_id=%d: promote another version",
          task.family, task.version, task.imageId);
      QuarkusTransaction.requiringNew()
          .run(() -> promotions.snapshotGone(task.imageId, "missing when it was to be protected"));
      return CloudTask.Step.FAILED;
    }
    Log.infof(
        "image labelled promoted and protected family=%s version=%s image_id=%d",
        task.family, task.version, task.imageId);
    QuarkusTransaction.requiringNew()
        .run(
            () -> {
              Instant now = clock.instant();
              Optional<ImageVersion> v = versions.byFamilyAndVersion(task.family, task.version);
              if (v.isPresent()
                  && marked == RegistryCloud.Marked.PROTECTED_NOW
                  && v.get().protectionSetAt == null) {
                v.get().protectionSetAt = now;
              }
              if (v.isPresent() && v.get().status == VersionStatus.PROMOTED) {
                outbox.add(
                    new ImagePromoted(
                        task.buildId,
                        task.family,
                        task.version,
                        task.imageId,
                        task.previousImageId,
                        v.get().promotedAt,
                        now,
                        task.actor == null ? ImagePromoted.AUTOMATIC_ACTOR : task.actor,
                        task.reason == null ? "verified" : task.reason));
              }
              CloudTask t = tasks.findById(task.id);
              t.step = CloudTask.Step.CLEANUP;
              t.updatedAt = now;
              t.leaseUntil = now.plus(config.tasks().lease());
            });
    publisher.flushSoon();
    return CloudTask.Step.CLEANUP;
  }

  /**
   * Records that Goldsmith sets the image's delete protection before it enables it (write-ahead):
   * an instance that dies between enabling and recording would otherwise leave a protection that
   * retention takes for someone else's and never lifts. A record without the protection (a crash
   * before enabling) is harmless: the retried step enables it, and lifting an absent protection is
   * a no-op.
   */
  private void recordProtectionAhead(CloudTask task) {
    boolean unprotected =
        cloud
            .image(task.imageId)
            .map(i -> i.protection() == null || !i.protection().delete())
            .orElse(false);
    if (!unprotected) {
      return;
    }
    QuarkusTransaction.requiringNew()
        .run(
            () ->
                versions
                    .byFamilyAndVersion(task.family, task.version)
                    .filter(v -> v.protectionSetAt == null)
                    .ifPresent(v -> v.protectionSetAt = clock.instant()));
  }

  private CloudTask advance(long id, CloudTask.Step next) {
    return QuarkusTransaction.requiringNew()
        .call(
            () -> {
              Instant now = clock.instant();
              CloudTask t = tasks.findById(id);
              t.step = next;
              t.updatedAt = now;
              if (next == CloudTask.Step.FAILED) {
                t.parkedAt = now;
                if (t.lastError == null) {
                  t.lastError = "the image to promote does not exist";
                }
              }
              if (next == CloudTask.Step.DONE || next == CloudTask.Step.FAILED) {
                t.leaseOwner = null;
                t.leaseUntil = null;
              } else {
                t.leaseUntil = now.plus(config.tasks().lease());
              }
              return t;
            });
  }

  private void fail(long id, RuntimeException e) {
    String error = e.toString();
    QuarkusTransaction.requiringNew()
        .run(
            () -> {
              Instant now = clock.instant();
              CloudTask t = tasks.findById(id);
              t.attempts++;
              t.lastError = error.length() > 2000 ? error.substring(0, 2000) : error;
              t.nextAttemptAt = now.plus(Backoff.delay(config.tasks().retryDelay(), t.attempts));
              t.leaseOwner = null;
              t.leaseUntil = null;
              if (t.attempts >= config.tasks().maxAttempts()) {
                t.step = CloudTask.Step.FAILED;
                t.parkedAt = now;
              }
              t.updatedAt = now;
              Log.warnf(
                  "cloud task step failed task_id=%d kind=%s step=%s attempts=%d error=%s",
                  t.id, t.kind, t.step, t.attempts, error);
            });
  }
}
