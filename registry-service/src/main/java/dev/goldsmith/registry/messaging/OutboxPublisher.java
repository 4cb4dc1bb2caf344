package dev.goldsmith.registry.messaging;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.reactive.messaging.Channel;

import io.quarkus.logging.Log;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.reactive.messaging.MutinyEmitter;

import dev.goldsmith.events.EventCodec;
import dev.goldsmith.events.EventType;
import dev.goldsmith.events.PipelineEvent;
import dev.goldsmith.events.Topics;
import dev.goldsmith.events.messaging.EventMessages;
import dev.goldsmith.registry.config.RegistryConfig;
import dev.goldsmith.registry.domain.OutboxEvent;
import dev.goldsmith.registry.domain.OutboxRepository;

/**
 * Publishes outbox rows in order and marks them published once the broker acknowledged them. Runs
 * right after the commits that add rows ({@link #flushSoon()}) and on a schedule, so events survive
 * a crash and a broker outage (at least once; consumers are idempotent).
 */
@ApplicationScoped
public class OutboxPublisher {
  private static final int BATCH = 100;
  private static final Duration SEND_TIMEOUT = Duration.ofSeconds(30);

  private final Map<String, MutinyEmitter<String>> emitters;
  private final OutboxRepository outbox;
  private final String source;
  private final ReentrantLock lock = new ReentrantLock();
  private final AtomicBoolean again = new AtomicBoolean();
  private final ExecutorService executor =
      Executors.newSingleThreadExecutor(
          r -> {
            Thread t = new Thread(r, "registry-outbox");
            t.setDaemon(true);
            return t;
          });

  public OutboxPublisher(
      @Channel("build-accepted") MutinyEmitter<String> accepted,
      @Channel("build-rejected") MutinyEmitter<String> rejected,
      @Channel("image-promoted") MutinyEmitter<String> promoted,
      @Channel("build-failed") MutinyEmitter<String> failed,
      OutboxRepository outbox,
      RegistryConfig config) {
    this.emitters =
        Map.of(
            Topics.BUILD_ACCEPTED, accepted,
            Topics.BUILD_REJECTED, rejected,
            Topics.IMAGE_PROMOTED, promoted,
            Topics.BUILD_FAILED, failed);
    this.outbox = outbox;
    this.source = config.eventSource();
  }

  /** Publishes pending rows on the publisher's own thread, without waiting. */
  public void flushSoon() {
    executor.execute(this::flush);
  }

  @Scheduled(
      every = "${goldsmith.registry.tasks.outbox-interval:5s}",
      delayed = "${goldsmith.registry.tasks.outbox-interval:5s}",
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
      skipExecutionIf = Scheduled.ApplicationNotRunning.class)
  void scheduled() {
    flush();
  }

  /** Publishes every pending row; returns how many were published. */
  public int flush() {
    if (!lock.tryLock()) {
      again.set(true);
      return 0;
    }
    int sent = 0;
    try {
      do {
        again.set(false);
        List<OutboxEvent> batch =
            QuarkusTransaction.requiringNew().call(() -> outbox.pending(BATCH));
        for (OutboxEvent row : batch) {
          if (!publish(row)) {
            return sent;
          }
          sent++;
        }
        if (batch.size() == BATCH) {
          again.set(true);
        }
      } while (again.get());
    } finally {
      lock.unlock();
    }
    return sent;
  }

  private boolean publish(OutboxEvent row) {
    try {
      EventType type = EventType.valueOf(row.eventType);
      PipelineEvent event = EventCodec.fromJson(row.payload, type.recordType());
      MutinyEmitter<String> emitter = emitters.get(type.topic());
      if (emitter == null) {
        throw new IllegalStateException("the registry does not publish " + type);
      }
      emitter.sendMessage(EventMessages.toMessage(event, source)).await().atMost(SEND_TIMEOUT);
      QuarkusTransaction.requiringNew()
          .run(
              () ->
                  outbox.update(
                      "publishedAt = ?1, attempts = attempts + 1 where id = ?2",
                      Instant.now(),
                      row.id));
      Log.debugf("event published type=%s build_id=%s outbox_id=%d", type, row.buildId, row.id);
      return true;
    } catch (RuntimeException e) {
      Log.warnf(
          "event not published yet type=%s build_id=%s outbox_id=%d error=%s",
          row.eventType, row.buildId, row.id, e.toString());
      String error = e.toString();
      QuarkusTransaction.requiringNew()
          .run(
              () ->
                  outbox.update(
                      "attempts = attempts + 1, lastError = ?1 where id = ?2",
                      error.length() > 2000 ? error.substring(0, 2000) : error,
                      row.id));
      return false;
    }
  }
}
