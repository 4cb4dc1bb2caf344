package dev.goldsmith.support.it;

import java.util.Collection;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.inject.Named;
import jakarta.inject.Singleton;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.TopicPartition;

import io.smallrye.reactive.messaging.kafka.KafkaConsumerRebalanceListener;

/** Counts the channel's partition assignments and revocations. */
@Singleton
@Named("it-rebalance")
public class RebalanceCounter implements KafkaConsumerRebalanceListener {
  final AtomicInteger assigned = new AtomicInteger();
  final AtomicInteger revoked = new AtomicInteger();

  @Override
  public void onPartitionsAssigned(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
    if (!partitions.isEmpty()) {
      assigned.incrementAndGet();
    }
  }

  @Override
  public void onPartitionsRevoked(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
    if (!partitions.isEmpty()) {
      revoked.incrementAndGet();
    }
  }

  @Override
  public void onPartitionsLost(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
    if (!partitions.isEmpty()) {
      revoked.incrementAndGet();
    }
  }
}
