package dev.goldsmith.registry.messaging;

import java.util.List;
import java.util.concurrent.CompletionStage;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.common.header.Headers;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.MDC;

import io.quarkus.logging.Log;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordMetadata;

import dev.goldsmith.events.BuildRequested;
import dev.goldsmith.events.CloudEventHeaders;
import dev.goldsmith.events.InvalidEventException;
import dev.goldsmith.events.KafkaEvents;
import dev.goldsmith.events.PipelineEvent;
import dev.goldsmith.events.Topics;
import dev.goldsmith.events.VerificationFinished;
import dev.goldsmith.events.messaging.EventMessages;
import dev.goldsmith.registry.intake.IntakeService;
import dev.goldsmith.registry.promotion.CloudTaskRunner;
import dev.goldsmith.registry.promotion.PromotionService;
import dev.goldsmith.registry.timeline.TimelineService;

/**
 * The registry's one consumer, on every pipeline topic (group {@code goldsmith-registry}). Build
 * requests go to intake (bad ones become BuildRejected, never a dead letter); every readable event
 * goes to the timeline; verdicts also go to promotion. Other unreadable records are nacked to the
 * dead-letter topic.
 */
@ApplicationScoped
public class PipelineConsumer {
  private static final int ATTEMPTS = 3;

  private final IntakeService intake;
  private final TimelineService timeline;
  private final PromotionService promotions;
  private final CloudTaskRunner runner;
  private final OutboxPublisher publisher;

  public PipelineConsumer(
      IntakeService intake,
      TimelineService timeline,
      PromotionService promotions,
      CloudTaskRunner runner,
      OutboxPublisher publisher) {
    this.intake = intake;
    this.timeline = timeline;
    this.promotions = promotions;
    this.runner = runner;
    this.publisher = publisher;
  }

  @Incoming("pipeline")
  @Blocking
  @SuppressWarnings("rawtypes")
  public CompletionStage<Void> consume(Message<String> message) {
    String topic =
        message
            .getMetadata(IncomingKafkaRecordMetadata.class)
            .map(m -> ((IncomingKafkaRecordMetadata) m).getTopic())
            .orElse("");
    Headers headers = EventMessages.headers(message);
    CloudEventHeaders.get(headers, CloudEventHeaders.SUBJECT).ifPresent(s -> MDC.put("buildId", s));
    CloudEventHeaders.get(headers, CloudEventHeaders.TRACEPARENT)
        .or(() -> CloudEventHeaders.get(headers, "traceparent"))
        .ifPresent(t -> MDC.put(Outbox.TRACEPARENT_MDC, t));
    try {
      if (Topics.BUILD_REQUESTED.equals(topic)) {
        withRetries(() -> intake.handle(message.getPayload(), headers));
        recordRequest(message);
      } else {
        PipelineEvent event = KafkaEvents.decode(headers, message.getPayload());
        if (!event.type().topic().equals(topic)) {
          throw new InvalidEventException(
              List.of(
                  "event type " + event.type().ceType() + " does not belong on topic " + topic));
        }
        String ceId = CloudEventHeaders.get(headers, CloudEventHeaders.ID).orElse(null);
        withRetries(() -> record(event, ceId));
      }
      return message.ack();
    } catch (InvalidEventException e) {
      Log.warnf("unreadable record parked topic=%s errors=%s", topic, e.errors());
      return message.nack(e);
    } catch (RuntimeException e) {
      Log.errorf(e, "record could not be processed topic=%s", topic);
      return message.nack(e);
    } finally {
      MDC.remove("buildId");
      MDC.remove(Outbox.TRACEPARENT_MDC);
    }
  }

  private void record(PipelineEvent event, String ceId) {
    boolean decided =
        QuarkusTransaction.requiringNew()
            .call(
                () -> {
                  timeline.record(event, ceId);
                  // A verdict is applied even when its record was seen before: onVerification is
                  // idempotent itself, and a crash may have come between the two.
                  return event instanceof VerificationFinished v && promotions.onVerification(v);
                });
    if (decided) {
      runner.afterCommit();
      publisher.flushSoon();
    }
  }

  /** The request itself also goes on its build's timeline, when it is readable. */
  private void recordRequest(Message<String> message) {
    try {
      BuildRequested request = EventMessages.decode(message, BuildRequested.class);
      String ceId =
          CloudEventHeaders.get(EventMessages.headers(message), CloudEventHeaders.ID).orElse(null);
      timeline.record(request, ceId);
    } catch (InvalidEventException e) {
      // Already answered with a BuildRejected.
    }
  }

  /** Database hiccups (deadlock, failover) are retried a few times before the record is parked. */
  private static void withRetries(Runnable work) {
    for (int attempt = 1; ; attempt++) {
      try {
        work.run();
        return;
      } catch (InvalidEventException e) {
        throw e;
      } catch (RuntimeException e) {
        if (attempt >= ATTEMPTS) {
          throw e;
        }
        Log.warnf("retrying record attempt=%d error=%s", attempt, e.toString());
        try {
          Thread.sleep(200L * attempt);
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          throw e;
        }
      }
    }
  }
}
