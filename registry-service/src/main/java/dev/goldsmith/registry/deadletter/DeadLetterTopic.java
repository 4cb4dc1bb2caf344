package dev.goldsmith.registry.deadletter;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Plain Kafka clients on the dead-letter topic: reads it with {@code assign} and {@code seek} (no
 * consumer group, nothing committed, so no consumer is disturbed), always bounded by {@code
 * timeout}; and republishes a parked record to its source topic. A broker that does not answer in
 * time is a {@link BrokerUnavailable}, never a hang.
 */
public class DeadLetterTopic implements AutoCloseable {
  private final String bootstrapServers;
  private final String topic;
  private final Duration timeout;
  private volatile KafkaProducer<String, String> producer;

  /** The broker did not answer in time (or refused the request). */
  public static class BrokerUnavailable extends RuntimeException {
    public BrokerUnavailable(String message, Throwable cause) {
      super(message, cause);
    }
  }

  public DeadLetterTopic(String bootstrapServers, String topic, Duration timeout) {
    this.bootstrapServers = bootstrapServers;
    this.topic = topic;
    this.timeout = timeout;
  }

  /** Every record of the topic, read from the beginning to the end offsets seen at the start. */
  public List<DeadLetterRecord> readAll() {
    long deadline = System.nanoTime() + timeout.toNanos();
    try (KafkaConsumer<String, String> consumer = consumer()) {
      List<TopicPartition> partitions = partitions(consumer);
      if (partitions.isEmpty()) {
        return List.of();
      }
      Map<TopicPartition, Long> end = new HashMap<>(consumer.endOffsets(partitions, timeout));
      Map<TopicPartition, Long> begin = consumer.beginningOffsets(partitions, timeout);
      end.entrySet().removeIf(e -> e.getValue() <= begin.getOrDefault(e.getKey(), 0L));
      List<DeadLetterRecord> out = new ArrayList<>();
      if (end.isEmpty()) {
        return out;
      }
      consumer.assign(end.keySet());
      consumer.seekToBeginning(end.keySet());
      while (!end.isEmpty()) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          throw new BrokerUnavailable(
              "the dead-letter topic " + topic + " could not be read within " + timeout, null);
        }
        for (ConsumerRecord<String, String> r :
            consumer.poll(Duration.ofNanos(Math.min(left, Duration.ofMillis(500).toNanos())))) {
          TopicPartition tp = new TopicPartition(r.topic(), r.partition());
          Long last = end.get(tp);
          if (last != null && r.offset() < last) {
            out.add(DeadLetterRecord.of(r));
          }
        }
        // Positions, not the records seen: transaction markers and compaction leave gaps.
        end.entrySet().removeIf(e -> consumer.position(e.getKey(), timeout) >= e.getValue());
      }
      out.sort(
          Comparator.comparingInt(DeadLetterRecord::partition)
              .thenComparingLong(DeadLetterRecord::offset));
      return out;
    } catch (org.apache.kafka.common.errors.TimeoutException e) {
      throw unavailable(e);
    } catch (KafkaException e) {
      throw unavailable(e);
    }
  }

  /** The record at a partition and offset; empty when the partition or offset does not exist. */
  public Optional<DeadLetterRecord> read(int partition, long offset) {
    long deadline = System.nanoTime() + timeout.toNanos();
    try (KafkaConsumer<String, String> consumer = consumer()) {
      TopicPartition tp = new TopicPartition(topic, partition);
      if (!partitions(consumer).contains(tp)) {
        return Optional.empty();
      }
      long end = consumer.endOffsets(List.of(tp), timeout).getOrDefault(tp, 0L);
      long begin = consumer.beginningOffsets(List.of(tp), timeout).getOrDefault(tp, 0L);
      if (offset < begin || offset >= end) {
        return Optional.empty();
      }
      consumer.assign(List.of(tp));
      consumer.seek(tp, offset);
      while (consumer.position(tp, timeout) <= offset) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          throw new BrokerUnavailable(
              "record "
                  + partition
                  + "@"
                  + offset
                  + " of "
                  + topic
                  + " could not be read within "
                  + timeout,
              null);
        }
        for (ConsumerRecord<String, String> r :
            consumer.poll(Duration.ofNanos(Math.min(left, Duration.ofMillis(500).toNanos())))) {
          if (r.offset() == offset) {
            return Optional.of(DeadLetterRecord.of(r));
          }
          if (r.offset() > offset) {
            return Optional.empty(); // compacted away or a transaction marker
          }
        }
      }
      return Optional.empty();
    } catch (org.apache.kafka.common.errors.TimeoutException e) {
      throw unavailable(e);
    } catch (KafkaException e) {
      throw unavailable(e);
    }
  }

  /**
   * Sends the record's original key and value, with its original headers, to its source topic, and
   * waits for the broker's acknowledgement.
   */
  public RecordMetadata republish(DeadLetterRecord record) {
    ProducerRecord<String, String> out =
        new ProducerRecord<>(
            record.sourceTopic(), null, record.key(), record.value(), record.replayHeaders());
    try {
      return producer().send(out).get(timeout.toMillis() + 5_000, TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw unavailable(e.getCause() == null ? e : e.getCause());
    } catch (java.util.concurrent.TimeoutException | KafkaException e) {
      throw unavailable(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw unavailable(e);
    }
  }

  @Override
  public void close() {
    KafkaProducer<String, String> p = producer;
    if (p != null) {
      p.close(Duration.ofSeconds(5));
    }
  }

  private List<TopicPartition> partitions(KafkaConsumer<String, String> consumer) {
    List<PartitionInfo> infos = consumer.partitionsFor(topic, timeout);
    List<TopicPartition> out = new ArrayList<>();
    if (infos != null) {
      infos.forEach(i -> out.add(new TopicPartition(topic, i.partition())));
    }
    return out;
  }

  private KafkaConsumer<String, String> consumer() {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "none");
    p.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, "false");
    p.put(ConsumerConfig.CLIENT_ID_CONFIG, "goldsmith-registry-dead-letters");
    p.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
    p.put(ConsumerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
    return new KafkaConsumer<>(p);
  }

  private KafkaProducer<String, String> producer() {
    KafkaProducer<String, String> p = producer;
    if (p == null) {
      synchronized (this) {
        p = producer;
        if (p == null) {
          Properties c = new Properties();
          c.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
          c.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
          c.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
          c.put(ProducerConfig.ACKS_CONFIG, "all");
          c.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
          c.put(ProducerConfig.CLIENT_ID_CONFIG, "goldsmith-registry-replays");
          int ms = (int) timeout.toMillis();
          c.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, ms);
          c.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, ms);
          c.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, ms + 1_000);
          c.put(ProducerConfig.LINGER_MS_CONFIG, 0);
          producer = p = new KafkaProducer<>(c);
        }
      }
    }
    return p;
  }

  private BrokerUnavailable unavailable(Throwable e) {
    return new BrokerUnavailable(
        "Kafka at " + bootstrapServers + " did not answer in time: " + e.getMessage(), e);
  }
}
