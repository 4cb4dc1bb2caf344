package dev.goldsmith.events.messaging;

import java.util.List;

import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.reactive.messaging.Message;

import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordMetadata;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;

import dev.goldsmith.events.CloudEventHeaders;
import dev.goldsmith.events.EventCodec;
import dev.goldsmith.events.InvalidEventException;
import dev.goldsmith.events.KafkaEvents;
import dev.goldsmith.events.PipelineEvent;

/**
 * Bridges events and SmallRye Reactive Messaging: outgoing messages carry the build id as key and
 * CloudEvents headers; incoming messages are decoded and validated against the expected type.
 *
 * <p>Consumers let {@link InvalidEventException} nack the message; with {@code
 * failure-strategy=dead-letter-queue} the connector parks it on {@code goldsmith.dead-letter} with
 * the reason in its headers, and the consumer goes on.
 */
public final class EventMessages {
  private EventMessages() {}

  /** A message for {@code event}, produced by {@code source} (e.g. {@code /goldsmith/registry}). */
  public static Message<String> toMessage(PipelineEvent event, String source) {
    return toMessage(event, CloudEventHeaders.of(event, source));
  }

  /**
   * A message for {@code event} with a given CloudEvents id (stable across resends, e.g. stored in
   * an outbox row) and an optional {@code traceparent}.
   */
  public static Message<String> toMessage(
      PipelineEvent event, String source, String ceId, String traceparent) {
    return toMessage(event, CloudEventHeaders.of(event, source, ceId, traceparent));
  }

  private static Message<String> toMessage(PipelineEvent event, Headers headers) {
    String json = EventCodec.toJson(event);
    OutgoingKafkaRecordMetadata<String> metadata =
        OutgoingKafkaRecordMetadata.<String>builder()
            .withTopic(event.type().topic())
            .withKey(KafkaEvents.key(event))
            .withHeaders(headers)
            .build();
    return Message.of(json).addMetadata(metadata);
  }

  /** Decodes an incoming message that must hold an event of type {@code expected}. */
  public static <T extends PipelineEvent> T decode(Message<String> message, Class<T> expected) {
    return KafkaEvents.decode(headers(message), message.getPayload(), expected);
  }

  /** Decodes any pipeline event, its type taken from the {@code ce_type} header. */
  public static PipelineEvent decodeAny(Message<String> message) {
    return KafkaEvents.decode(headers(message), message.getPayload());
  }

  /** The Kafka headers of an incoming message (empty when it did not come from Kafka). */
  @SuppressWarnings("rawtypes")
  public static Headers headers(Message<String> message) {
    return message
        .getMetadata(IncomingKafkaRecordMetadata.class)
        .map(m -> ((IncomingKafkaRecordMetadata) m).getHeaders())
        .orElseGet(() -> new RecordHeaders(List.of()));
  }
}
