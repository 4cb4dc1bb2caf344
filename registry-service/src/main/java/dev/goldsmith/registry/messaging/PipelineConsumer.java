package dev.goldsmith.registry.messaging;

import java.util.concurrent.CompletionStage;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.common.header.Headers;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

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
import dev.goldsmith.support.messaging.EventConsumer;
import dev.goldsmith.support.messaging.PoisonException;

/**
 * The registry's one consumer, on every pipeline topic (group {@code goldsmith-registry}), under
 * the shared consumer policy ({@link EventConsumer}). Build requests go to intake (bad ones become
 * BuildRejected, never a dead letter); every readable event goes to the timeline; verdicts also go
 * to promotion. Other unreadable records are poison (dead-lettered with their reason); a failure of
 * the database or the cloud is waited out in place, the record neither acked nor dead-lettered.
 */
@ApplicationScoped
public class PipelineConsumer {
  private final EventConsumer consumer;
  private final IntakeService intake;
  private final TimelineService timeline;
  private final PromotionService promotions;
  private final CloudTaskRunner runner;
  private final OutboxPublisher publisher;

  public PipelineConsumer(
      EventConsumer consumer,
      IntakeService intake,
      TimelineService timeline,
      PromotionService promotions,
      CloudTaskRunner runner,
      OutboxPublisher publisher) {
    this.consumer = consumer;
    this.intake = intake;
    this.timeline = timeline;
    this.promotions = promotions;
    this.runner = runner;
    this.publisher = publisher;
  }

  @Incoming("pipeline")
  @Blocking
  public CompletionStage<Void> consume(Message<String> message) {
    return consumer.handleRawBlocking(message, this::handle);
  }

  @SuppressWarnings("rawtypes")
  private void handle(Message<String> message) {
    String topic =
        message
            .getMetadata(IncomingKafkaRecordMetadata.class)
            .map(m -> ((IncomingKafkaRecordMetadata) m).getTopic())
            .orElse("");
    // The consumer policy runs this inside the record's span of the build's trace: the outbox rows
    // written here carry it (Outbox#traceparent).
    Headers headers = EventMessages.headers(message);
    if (Topics.BUILD_REQUESTED.equals(topic)) {
      intake.handle(message.getPayload(), headers);
      recordRequest(message);
    } else {
      PipelineEvent event = KafkaEvents.decode(headers, message.getPayload());
      if (!event.type().topic().equals(topic)) {
        throw new PoisonException(
            "event type " + event.type().ceType() + " does not belong on topic " + topic);
      }
      record(event, CloudEventHeaders.get(headers, CloudEventHeaders.ID).orElse(null));
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
    BuildRequested request;
    try {
      request = EventMessages.decode(message, BuildRequested.class);
    } catch (InvalidEventException e) {
      return; // already answered with a BuildRejected
    }
    String ceId =
        CloudEventHeaders.get(EventMessages.headers(message), CloudEventHeaders.ID).orElse(null);
    timeline.record(request, ceId);
  }
}
