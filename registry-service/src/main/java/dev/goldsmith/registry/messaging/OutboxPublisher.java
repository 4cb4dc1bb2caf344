package dev.goldsmith.registry.messaging;

import java.time.Clock;
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
import dev.goldsmith.registry.promotion.Backoff;
import dev.goldsmith.support.messaging.BuildMdc;
import dev.goldsmith.support.tracing.BuildTraces;

/**
 * Publishes outbox rows with their stored CloudEvents id and marks them published once the broker
 * acknowledged them, one row per transaction. Rows are claimed with {@code SELECT … FOR UPDATE SKIP
 * LOCKED}, so several registry instances publish at once without sending a row twice. A row that
 * cannot be decoded is parked at once (poison); a row whose send fails waits (attempt count,
 * backoff) and is parked after {@code tasks.max-attempts}; neither blocks the rows behind it. Runs
 * right after the commits that add rows ({@link #flushSoon()}) and on a schedule.
 */
@ApplicationScoped
public class OutboxPublisher {
  private static final int BATCH = 20;
  private static final Duration SEND_TIMEOUT = Duration.ofSeconds(10);

  private final Map<String, MutinyEmitter<String>> emitters;
  private final OutboxRepository outbox;
  private final RegistryConfig config;
  private final Clock clock;
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
      @Channel("builder-ready") MutinyEmitter<String> ready,
      @Channel("builder-configured") MutinyEmitter<String> configured,
      @Channel("snapshot-created") MutinyEmitter<String> snapshot,
      OutboxRepository outbox,
      RegistryConfig config,
      Clock clock) {
    this.emitters =
        Map.of(
            Topics.BUILD_ACCEPTED, accepted,
            Topics.BUILD_REJECTED, rejected,
            Topics.IMAGE_PROMOTED, promoted,
            Topics.BUILD_FAILED, failed,
            // Re-published only by the stage watchdog, to re-drive a stage.
            Topics.BUILDER_READY, ready,
            Topics.BUILDER_CONFIGURED, configured,
            Topics.SNAPSHOT_CREATED, snapshot);
    this.outbox = outbox;
    this.config = config;
    this.clock = clock;
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

  /** Publishes every due row; returns how many were published. */
  public int flush() {
    if (!lock.tryLock()) {
      again.set(true);
      return 0;
    }
    int sent = 0;
    try {
      do {
        again.set(false);
        int handled = 0;
        Outcome outcome = Outcome.SENT;
        while (handled < BATCH && outcome != Outcome.SEND_FAILED) {
          outcome = QuarkusTransaction.requiringNew().timeout(60).call(this::publishOne);
          if (outcome == Outcome.NONE) {
            break;
          }
          if (outcome == Outcome.SENT) {
            sent++;
          }
          handled++;
        }
        if (handled == BATCH) {
          again.set(true);
        }
      } while (again.get());
    } catch (RuntimeException e) {
      Log.warnf("outbox flush failed error=%s", e.toString());
    } finally {
      lock.unlock();
    }
    return sent;
  }

  private enum Outcome {
    NONE,
    SENT,
    PARKED,
    SEND_FAILED
  }

  /**
   * One transaction per row: claim it, send it, record the outcome; the lock ends with the commit.
   * A crash between the broker's ack and the commit resends this one row, with the same id.
   */
  private Outcome publishOne() {
    List<OutboxEvent> rows = outbox.claim(clock.instant(), 1);
    if (rows.isEmpty()) {
      return Outcome.NONE;
    }
    OutboxEvent row = rows.get(0);
    return BuildMdc.call(row.buildId == null ? null : row.buildId.toString(), () -> publish(row));
  }

  /** Sends one claimed row, with MDC {@code buildId} set for every line about it. */
  private Outcome publish(OutboxEvent row) {
    PipelineEvent event;
    MutinyEmitter<String> emitter;
    try {
      EventType type = EventType.valueOf(row.eventType);
      event = EventCodec.fromJson(row.payload, type.recordType());
      emitter = emitters.get(type.topic());
      if (emitter == null) {
        throw new IllegalStateException("the registry does not publish " + type);
      }
    } catch (RuntimeException e) {
      park(row, "poison: " + e);
      return Outcome.PARKED;
    }
    try {
      emitter
          .sendMessage(
              // The row's trace is the parent of the connector's producer span: the record's
              // traceparent header continues the build's trace, on this thread and on any resend.
              BuildTraces.tracedFrom(
                  EventMessages.toMessage(event, source, row.ceId, row.traceparent),
                  row.traceparent))
          .await()
          .atMost(SEND_TIMEOUT);
    } catch (RuntimeException e) {
      // The broker may be down: the other rows wait for the next run instead of each timing out.
      failed(row, e);
      return Outcome.SEND_FAILED;
    }
    row.attempts++;
    row.publishedAt = clock.instant();
    Log.debugf(
        "event published type=%s build_id=%s outbox_id=%d ce_id=%s",
        row.eventType, row.buildId, row.id, row.ceId);
    return Outcome.SENT;
  }

  private void failed(OutboxEvent row, RuntimeException e) {
    row.attempts++;
    row.lastError = truncate(e.toString());
    Instant now = clock.instant();
    if (row.attempts >= config.tasks().maxAttempts()) {
      park(row, "send failed " + row.attempts + " times: " + row.lastError);
      return;
    }
    row.nextAttemptAt = now.plus(Backoff.delay(config.tasks().retryDelay(), row.attempts));
    Log.warnf(
        "event not published yet type=%s build_id=%s outbox_id=%d attempts=%d error=%s",
        row.eventType, row.buildId, row.id, row.attempts, row.lastError);
  }

  private void park(OutboxEvent row, String reason) {
    row.parkedAt = clock.instant();
    row.parkReason = truncate(reason);
    Log.errorf(
        "outbox row parked type=%s build_id=%s outbox_id=%d reason=%s",
        row.eventType, row.buildId, row.id, row.parkReason);
  }

  private static String truncate(String s) {
    return s.length() > 2000 ? s.substring(0, 2000) : s;
  }
}
