package dev.goldsmith.support.messaging;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.Metadata;
import org.jboss.logging.Logger;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.UniEmitter;
import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordMetadata;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;

import dev.goldsmith.events.CloudEventHeaders;
import dev.goldsmith.events.PipelineEvent;
import dev.goldsmith.events.messaging.EventMessages;
import dev.goldsmith.support.tracing.BuildTraces;

/**
 * The one consumer policy, without CDI (see {@link EventConsumer} for the bean):
 *
 * <ol>
 *   <li>the handler runs with MDC {@value BuildMdc#KEY} set (from {@code ce_subject}, else the
 *       record key), inside a span of the build's trace ({@link BuildTraces#consumed}) that ends
 *       when the record is settled; every retry runs in the same span;
 *   <li>success: the record is acked;
 *   <li>poison ({@link Failures#classify}): the record is nacked with its reason, and the
 *       connector's {@code dead-letter-queue} strategy parks it on the dead-letter topic and goes
 *       on with the next record;
 *   <li>any other failure: the record is neither acked nor nacked; the handler runs again after a
 *       capped exponential backoff, as long as it takes, while {@link ConsumerHealth} reports DOWN.
 *       Since the record is not settled, the connector hands out no further record of the channel
 *       (ordered handlers) and pauses its partitions once its queue is full, while it keeps
 *       polling, so the group does not rebalance;
 *   <li>on shutdown ({@link #stop()}) a waiting record is handed back: neither acked nor nacked, so
 *       its offset stays uncommitted and it is redelivered after the restart.
 * </ol>
 */
public final class ConsumerPolicy {
  private static final Logger LOG = Logger.getLogger(ConsumerPolicy.class);

  private final Backoff backoff;
  private final ConsumerHealth health;
  private final Supplier<ScheduledExecutorService> scheduler;
  private final CountDownLatch stopping = new CountDownLatch(1);
  private final BuildTraces traces;

  public ConsumerPolicy(
      Backoff backoff, ConsumerHealth health, Supplier<ScheduledExecutorService> scheduler) {
    this(backoff, health, scheduler, BuildTraces.noop());
  }

  public ConsumerPolicy(
      Backoff backoff,
      ConsumerHealth health,
      Supplier<ScheduledExecutorService> scheduler,
      BuildTraces traces) {
    this.backoff = Objects.requireNonNull(backoff, "backoff");
    this.health = Objects.requireNonNull(health, "health");
    this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
    this.traces = Objects.requireNonNull(traces, "traces");
  }

  /** Stops retrying: waiting records are handed back un-acked. */
  public void stop() {
    stopping.countDown();
  }

  public boolean stopped() {
    return stopping.getCount() == 0;
  }

  /** Decodes the record as {@code type} and runs {@code work}; settles it by the policy. */
  public <T extends PipelineEvent> Uni<Void> handle(
      Message<String> message, Class<T> type, Function<T, Uni<Void>> work) {
    return handleRaw(message, m -> work.apply(EventMessages.decode(m, type)));
  }

  /**
   * Runs {@code work} on the raw record (it decodes itself, e.g. the registry's intake); an {@link
   * dev.goldsmith.events.InvalidEventException} or {@link PoisonException} it throws is poison. The
   * returned Uni completes when the record is settled (acked, dead-lettered or handed back).
   */
  public Uni<Void> handleRaw(Message<String> message, Function<Message<String>, Uni<Void>> work) {
    RecordRef ref = RecordRef.of(message);
    String buildId = buildId(message);
    Span span = span(message, buildId);
    return Uni.createFrom()
        .<Outcome>emitter(
            em ->
                attempt(
                    ref, buildId, () -> BuildTraces.inSpan(span, () -> work.apply(message)), 1, em))
        .chain(outcome -> settle(message, ref, buildId, outcome))
        .onItemOrFailure()
        .invoke((ok, e) -> span.end());
  }

  private Span span(Message<String> message, String buildId) {
    return traces.consumed(
        message,
        EventMessages.headers(message),
        message
            .getMetadata(IncomingKafkaRecordMetadata.class)
            .map(m -> ((IncomingKafkaRecordMetadata<?, ?>) m).getTopic())
            .orElse(""),
        buildId);
  }

  /** As {@link #handle}, for blocking work: retries wait on the calling (worker) thread. */
  public <T extends PipelineEvent> CompletionStage<Void> handleBlocking(
      Message<String> message, Class<T> type, Consumer<T> work) {
    return handleRawBlocking(message, m -> work.accept(EventMessages.decode(m, type)));
  }

  /** As {@link #handleRaw}, for blocking work. */
  public CompletionStage<Void> handleRawBlocking(
      Message<String> message, Consumer<Message<String>> work) {
    RecordRef ref = RecordRef.of(message);
    String buildId = buildId(message);
    Span span = span(message, buildId);
    try {
      return handleRawBlocking(message, work, ref, buildId, span);
    } finally {
      span.end();
    }
  }

  private CompletionStage<Void> handleRawBlocking(
      Message<String> message,
      Consumer<Message<String>> work,
      RecordRef ref,
      String buildId,
      Span span) {
    for (int n = 1; ; n++) {
      Outcome outcome;
      try {
        BuildMdc.run(
            buildId,
            () ->
                BuildTraces.inSpan(
                    span,
                    () -> {
                      work.accept(message);
                      return null;
                    }));
        outcome = Outcome.DONE;
      } catch (RuntimeException e) {
        // an attempt failed; the record is retried or settled below (the type only: no message)
        span.addEvent(
            "attempt failed",
            Attributes.of(AttributeKey.stringKey("exception.type"), e.getClass().getName()));
        outcome = failed(ref, buildId, e, n);
        if (outcome == null) {
          if (awaitStop(backoff.delay(n))) {
            outcome = Outcome.HANDED_BACK;
          } else {
            continue;
          }
        }
      }
      return settle(message, ref, buildId, outcome).subscribeAsCompletionStage();
    }
  }

  private void attempt(
      RecordRef ref,
      String buildId,
      Supplier<Uni<Void>> work,
      int n,
      UniEmitter<? super Outcome> em) {
    Uni<Void> run;
    try {
      run = BuildMdc.call(buildId, work);
    } catch (RuntimeException e) {
      run = Uni.createFrom().failure(e);
    }
    run.subscribe()
        .with(
            ok -> em.complete(Outcome.DONE),
            e -> {
              if (stopped() && !Failures.classify(e).poison()) {
                // work cut short by the shutdown: handed back quietly, not reported as an outage
                em.complete(Outcome.HANDED_BACK);
                return;
              }
              Outcome outcome = failed(ref, buildId, e, n);
              if (outcome != null) {
                em.complete(outcome);
                return;
              }
              if (stopped()) {
                em.complete(Outcome.HANDED_BACK);
                return;
              }
              Duration delay = backoff.delay(n);
              scheduler
                  .get()
                  .schedule(
                      () -> {
                        if (stopped()) {
                          em.complete(Outcome.HANDED_BACK);
                        } else {
                          attempt(ref, buildId, work, n + 1, em);
                        }
                      },
                      delay.toNanos(),
                      TimeUnit.NANOSECONDS);
            });
  }

  /** The outcome of a failed attempt: poison, or null to retry after recording the outage. */
  private Outcome failed(RecordRef ref, String buildId, Throwable e, int attempt) {
    Failure failure = Failures.classify(e);
    if (failure.poison()) {
      return new Outcome(Outcome.Kind.POISON, failure, e);
    }
    health.retrying(ref, failure, attempt);
    BuildMdc.run(
        buildId,
        () -> {
          String text =
              String.format(
                  "record %s not handled, retrying in place dependency=%s attempt=%d error=%s",
                  ref, failure.dependency(), attempt, failure.summary());
          if ("unexpected".equals(failure.dependency())) {
            LOG.error(text, attempt == 1 ? e : null);
          } else {
            LOG.warn(text);
          }
        });
    return null;
  }

  private Uni<Void> settle(Message<String> message, RecordRef ref, String buildId, Outcome o) {
    health.settled(ref);
    switch (o.kind()) {
      case DONE:
        return Uni.createFrom().completionStage(message::ack);
      case POISON:
        BuildMdc.run(
            buildId,
            () ->
                LOG.warnf(
                    "record %s is poison, parked on the dead-letter topic: %s",
                    ref, o.failure().summary()));
        RecordHeaders extra = new RecordHeaders();
        extra.add(
            DeadLetterHeaders.REASON_SUMMARY,
            o.failure().summary().getBytes(StandardCharsets.UTF_8));
        Metadata metadata =
            Metadata.of(OutgoingKafkaRecordMetadata.<String>builder().withHeaders(extra).build());
        return Uni.createFrom().completionStage(() -> message.nack(o.cause(), metadata));
      default:
        BuildMdc.run(
            buildId,
            () ->
                LOG.infof(
                    "record %s handed back un-acked (shutdown), it will be redelivered", ref));
        return Uni.createFrom().voidItem();
    }
  }

  private boolean awaitStop(Duration delay) {
    try {
      return stopping.await(delay.toNanos(), TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return true;
    }
  }

  @SuppressWarnings("rawtypes")
  static String buildId(Message<String> message) {
    return CloudEventHeaders.get(EventMessages.headers(message), CloudEventHeaders.SUBJECT)
        .or(
            () ->
                message
                    .getMetadata(IncomingKafkaRecordMetadata.class)
                    .map(m -> ((IncomingKafkaRecordMetadata) m).getKey())
                    .map(Object::toString))
        .orElse(null);
  }

  private record Outcome(Kind kind, Failure failure, Throwable cause) {
    static final Outcome DONE = new Outcome(Kind.DONE, null, null);
    static final Outcome HANDED_BACK = new Outcome(Kind.HANDED_BACK, null, null);

    enum Kind {
      DONE,
      POISON,
      HANDED_BACK
    }
  }
}
