package dev.goldsmith.events;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Headers;

/**
 * Turns events into Kafka records (key = buildId, value = JSON, CloudEvents headers) and back.
 * Producers with SmallRye use {@link #key} and {@link CloudEventHeaders#of} in their outgoing
 * metadata; plain Kafka clients use {@link #toRecord}.
 */
public final class KafkaEvents {
  private KafkaEvents() {}

  /** The record key: the build id (so each build's events stay in order on one partition). */
  public static String key(PipelineEvent event) {
    return event.buildId() == null ? null : event.buildId().toString();
  }

  public static ProducerRecord<String, String> toRecord(PipelineEvent event, String source) {
    return new ProducerRecord<>(
        event.type().topic(),
        null,
        key(event),
        EventCodec.toJson(event),
        CloudEventHeaders.of(event, source));
  }

  /** Decodes any pipeline event, its type taken from {@code ce_type}. */
  public static PipelineEvent decode(Headers headers, String value) {
    List<String> errors = new ArrayList<>(CloudEventHeaders.problems(headers));
    Optional<EventType> type =
        CloudEventHeaders.get(headers, CloudEventHeaders.TYPE).flatMap(EventType::byCeType);
    if (!errors.isEmpty() || type.isEmpty()) {
      if (errors.isEmpty()) {
        errors.add("header ce_type is missing");
      }
      throw new InvalidEventException(errors);
    }
    return EventCodec.fromJson(value, type.get().recordType());
  }

  /**
   * Decodes an event that must be of {@code expected}: the headers must be sound and name that
   * type.
   */
  public static <T extends PipelineEvent> T decode(
      Headers headers, String value, Class<T> expected) {
    List<String> errors = new ArrayList<>(CloudEventHeaders.problems(headers));
    String wanted = EventType.of(expected).ceType();
    CloudEventHeaders.get(headers, CloudEventHeaders.TYPE)
        .filter(t -> !t.equals(wanted))
        .ifPresent(t -> errors.add("expected ce_type " + wanted + " but got " + t));
    if (!errors.isEmpty()) {
      throw new InvalidEventException(errors);
    }
    return EventCodec.fromJson(value, expected);
  }

  public static PipelineEvent decode(ConsumerRecord<String, String> record) {
    return decode(record.headers(), record.value());
  }
}
