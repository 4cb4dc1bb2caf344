package dev.goldsmith.registry.promotion;

import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.MDC;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;

import dev.goldsmith.events.ImagePromoted;
import dev.goldsmith.hcloud.model.Image;
import dev.goldsmith.hcloud.model.ImageStatus;
import dev.goldsmith.registry.cloud.RegistryCloud;
import dev.goldsmith.registry.config.RegistryConfig;
import dev.goldsmith.registry.domain.BuildRepository;
import dev.goldsmith.registry.domain.CloudTask;
import dev.goldsmith.registry.domain.CloudTaskRepository;
import dev.goldsmith.registry.domain.ImageVersion;
import dev.goldsmith.registry.domain.ImageVersionRepository;
import dev.goldsmith.registry.domain.VersionStatus;
import dev.goldsmith.registry.messaging.Outbox;
import dev.goldsmith.registry.messaging.OutboxPublisher;

/**
 * Carries out cloud tasks step by step, recording each finished step in the database before the
 * next, so a crash at any point resumes at the step that did not finish. Runs after each commit
 * that creates a task, shortly after startup, and on a schedule.
 */
@ApplicationScoped
public class CloudTaskRunner {
  private static final Duration MAX_DELAY = Duration.ofMinutes(10);

  private final CloudTaskRepository tasks;
  private final ImageVersionRepository versions;
  private final BuildRepository builds;
  private final PromotionService promotions;
  private final RegistryCloud cloud;
  private final Outbox outbox;
  private final OutboxPublisher publisher;
  private final RegistryConfig config;
  private final MeterRegistry metrics;
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
      BuildRepository builds,
      PromotionService promotions,
      RegistryCloud cloud,
      Outbox outbox,
      OutboxPublisher publisher,
      RegistryConfig config,
      MeterRegistry metrics) {
    this.tasks = tasks;
    this.versions = versions;
    this.builds = builds;
    this.promotions = promotions;
    this.cloud = cloud;
    this.outbox = outbox;
    this.publisher = publisher;
    this.config = config;
    this.metrics = metrics;
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
   * Runs every due task to its end (or to its next failure). Serialized: a call while another runs
   * makes that one go round again.
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
        List<Long> due =
            QuarkusTransaction.requiringNew()
                .call(() -> tasks.due(Instant.now()).stream().map(t -> t.id).toList());
        for (Long id : due) {
          if (run(id)) {
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

  /** Runs one task from its current step; true when it reached DONE. */
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
        cleanup(task);
        return CloudTask.Step.DONE;
      case DELETE:
        delete(task.imageId);
        return CloudTask.Step.DONE;
      default:
        throw new IllegalStateException("no step " + task.step);
    }
  }

  /**
   * Labels and protects the promoted image, then publishes ImagePromoted with the step's commit.
   */
  private CloudTask.Step protect(CloudTask task) {
    if (!cloud.markPromoted(task.imageId)) {
      Log.errorf(
          "promoted image does not exist family=%s version=%s image_id=%d: promote another version",
          task.family, task.version, task.imageId);
      QuarkusTransaction.requiringNew()
          .run(() -> versions.markImageDeleted(task.imageId, Instant.now()));
      return CloudTask.Step.FAILED;
    }
    Log.infof(
        "image labelled promoted and protected family=%s version=%s image_id=%d",
        task.family, task.version, task.imageId);
    QuarkusTransaction.requiringNew()
        .run(
            () -> {
              Optional<ImageVersion> v = versions.byFamilyAndVersion(task.family, task.version);
              if (v.isPresent() && v.get().status == VersionStatus.PROMOTED) {
                Instant now = Instant.now();
                outbox.add(
                    new ImagePromoted(
                        task.buildId,
                        task.family,
                        task.version,
                        task.imageId,
                        task.previousImageId,
                        v.get().promotedAt,
                        now));
              }
              CloudTask t = tasks.findById(task.id);
              t.step = CloudTask.Step.CLEANUP;
              t.updatedAt = Instant.now();
            });
    publisher.flushSoon();
    return CloudTask.Step.CLEANUP;
  }

  /**
   * Deletes the previously promoted image (unless kept for rollback) and every other snapshot of
   * the family that is neither promoted, kept, nor part of a build still in progress.
   */
  private void cleanup(CloudTask task) {
    Keep keep = QuarkusTransaction.requiringNew().call(() -> keepSet(task));
    Set<Long> doomed = new LinkedHashSet<>();
    if (task.previousImageId != null && !keep.images.contains(task.previousImageId)) {
      doomed.add(task.previousImageId);
    }
    for (Image image : cloud.familySnapshots(task.family)) {
      if (keep.images.contains(image.id()) || image.status() == ImageStatus.CREATING) {
        continue;
      }
      String buildLabel = image.labels().get(RegistryCloud.LABEL_BUILD_ID);
      if (buildLabel != null && keep.builds.contains(buildLabel)) {
        continue;
      }
      doomed.add(image.id());
    }
    for (Long id : doomed) {
      delete(id);
    }
    Log.infof("family cleaned family=%s kept=%s deleted=%s", task.family, keep.images, doomed);
  }

  private record Keep(Set<Long> images, Set<String> builds) {}

  private Keep keepSet(CloudTask task) {
    Set<Long> images = new HashSet<>();
    Set<String> running = new HashSet<>();
    versions
        .promoted(task.family)
        .filter(ImageVersion::hasImage)
        .ifPresent(v -> images.add(v.imageId));
    Optional<ImageVersion> current = versions.promoted(task.family);
    int keepPrevious = promotions.keepPrevious(current.map(v -> v.buildId).orElse(task.buildId));
    versions.previouslyPromoted(task.family).stream()
        .limit(keepPrevious)
        .forEach(v -> images.add(v.imageId));
    for (ImageVersion v : versions.inProgress(task.family)) {
      if (v.imageId != null) {
        images.add(v.imageId);
      }
      running.add(v.buildId.toString());
    }
    for (UUID id : builds.inProgressIds(task.family)) {
      running.add(id.toString());
    }
    return new Keep(images, running);
  }

  private void delete(long imageId) {
    boolean deleted = cloud.deleteImage(imageId);
    QuarkusTransaction.requiringNew().run(() -> versions.markImageDeleted(imageId, Instant.now()));
    if (deleted) {
      metrics.counter("goldsmith.registry.image.deletions").increment();
    }
  }

  private CloudTask advance(long id, CloudTask.Step next) {
    return QuarkusTransaction.requiringNew()
        .call(
            () -> {
              CloudTask t = tasks.findById(id);
              t.step = next;
              t.updatedAt = Instant.now();
              if (next == CloudTask.Step.FAILED && t.lastError == null) {
                t.lastError = "the image to promote does not exist";
              }
              return t;
            });
  }

  private void fail(long id, RuntimeException e) {
    String error = e.toString();
    QuarkusTransaction.requiringNew()
        .run(
            () -> {
              CloudTask t = tasks.findById(id);
              t.attempts++;
              t.lastError = error.length() > 2000 ? error.substring(0, 2000) : error;
              long factor = 1L << Math.min(t.attempts - 1, 10);
              Duration delay = config.tasks().retryDelay().multipliedBy(factor);
              t.nextAttemptAt =
                  Instant.now().plus(delay.compareTo(MAX_DELAY) > 0 ? MAX_DELAY : delay);
              if (t.attempts >= config.tasks().maxAttempts()) {
                t.step = CloudTask.Step.FAILED;
              }
              t.updatedAt = Instant.now();
              Log.warnf(
                  "cloud task step failed task_id=%d kind=%s step=%s attempts=%d error=%s",
                  t.id, t.kind, t.step, t.attempts, error);
            });
  }
}
