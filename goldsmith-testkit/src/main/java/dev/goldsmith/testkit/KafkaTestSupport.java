package dev.goldsmith.testkit;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Plain Kafka clients against the local broker (system property {@code kafka.bootstrap.servers},
 * default {@code 127.0.0.1:19092}): create topics, send and read string records.
 */
public final class KafkaTestSupport {
  private KafkaTestSupport() {}

  public static String bootstrapServers() {
    return System.getProperty("kafka.bootstrap.servers", "127.0.0.1:19092");
  }

  /** A topic name unique to this run, e.g. {@code prefix-3f2a…}. */
  public static String uniqueTopic(String prefix) {
    return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  /** Creates a topic (one replica); an existing topic is fine. */
  public static void createTopic(String topic, int partitions) {
    Properties p = new Properties();
    p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
    try (Admin admin = Admin.create(p)) {
      admin
          .createTopics(List.of(new NewTopic(topic, partitions, (short) 1)))
          .all()
          .get(30, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      if (!(e.getCause() instanceof TopicExistsException)) {
        throw new IllegalStateException("could not create topic " + topic + ": " + e.getCause(), e);
      }
    } catch (TimeoutException e) {
      throw new IllegalStateException(
          "Kafka at " + bootstrapServers() + " did not answer; run deploy/kafka-local.sh start", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  /** Sends one string record and waits for the broker's acknowledgement. */
  public static void send(String topic, String key, String value, Map<String, String> headers) {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
    p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    try (KafkaProducer<String, String> producer = new KafkaProducer<>(p)) {
      ProducerRecord<String, String> record = new ProducerRecord<>(topic, key, value);
      headers.forEach(
          (k, v) -> record.headers().add(k, v.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
      producer.send(record).get(30, TimeUnit.SECONDS);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("could not send to " + topic + ": " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  /**
   * Reads the topic from the beginning (all partitions, no consumer group) until {@code count}
   * records arrived or the timeout passed; returns what was read.
   */
  public static List<ConsumerRecord<String, String>> read(
      String topic, int count, Duration timeout) {
    return readUntil(topic, records -> records.size() >= count, timeout);
  }

  /** Reads from the beginning until {@code done} holds for the records read, or the timeout. */
  public static List<ConsumerRecord<String, String>> readUntil(
      String topic, Predicate<List<ConsumerRecord<String, String>>> done, Duration timeout) {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
    p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    List<ConsumerRecord<String, String>> out = new ArrayList<>();
    try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(p)) {
      long deadline = System.nanoTime() + timeout.toNanos();
      List<TopicPartition> partitions = new ArrayList<>();
      while (partitions.isEmpty() && System.nanoTime() < deadline) {
        var infos = consumer.partitionsFor(topic, Duration.ofSeconds(5));
        if (infos != null) {
          infos.forEach(i -> partitions.add(new TopicPartition(topic, i.partition())));
        }
      }
      consumer.assign(partitions);
      consumer.seekToBeginning(Set.copyOf(partitions));
      while (!done.test(out) && System.nanoTime() < deadline) {
        consumer.poll(Duration.ofMillis(200)).forEach(out::add);
      }
    }
    return out;
  }
}
