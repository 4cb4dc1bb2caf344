package dev.goldsmith.support.messaging;

import org.eclipse.microprofile.reactive.messaging.Message;

import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordMetadata;

/**
 * Where a record came from, for logs and health: {@code topic-partition@offset} of a Kafka record,
 * or an identity for messages of other connectors (tests).
 */
public record RecordRef(String topic, int partition, long offset) {

  /** The reference of an incoming message. */
  @SuppressWarnings("rawtypes")
  public static RecordRef of(Message<?> message) {
    return message
        .getMetadata(IncomingKafkaRecordMetadata.class)
        .map(
            m -> {
              IncomingKafkaRecordMetadata k = (IncomingKafkaRecordMetadata) m;
              return new RecordRef(k.getTopic(), k.getPartition(), k.getOffset());
            })
        .orElseGet(() -> new RecordRef("message", 0, System.identityHashCode(message)));
  }

  @Override
  public String toString() {
    return topic + "-" + partition + "@" + offset;
  }
}
