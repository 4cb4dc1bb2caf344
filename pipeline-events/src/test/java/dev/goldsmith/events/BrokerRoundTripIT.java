package dev.goldsmith.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/**
 * Every event crosses the real broker started by deploy/kafka-local.sh and comes back equal, with
 * its key and CloudEvents headers.
 */
class BrokerRoundTripIT {
  private static final String BOOTSTRAP =
      System.getProperty("kafka.bootstrap.servers", "127.0.0.1:19092");

  @Test
  void everyEventCrossesTheBrokerAndDecodesToAnEqualRecord() throws Exception {
    UUID build = UUID.randomUUID();
    List<PipelineEvent> sent = new ArrayList<>();
    for (PipelineEvent e : SampleEvents.all()) {
      sent.add(withBuild(e, build));
    }
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, BOOTSTRAP);
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    try (KafkaProducer<String, String> producer =
        new KafkaProducer<>(p, new StringSerializer(), new StringSerializer())) {
      for (PipelineEvent e : sent) {
        producer.send(KafkaEvents.toRecord(e, "/goldsmith/test")).get();
      }
    }

    Properties c = new Properties();
    c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, BOOTSTRAP);
    c.put(ConsumerConfig.GROUP_ID_CONFIG, "goldsmith-events-it-" + build);
    c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    Map<EventType, ConsumerRecord<String, String>> received = new HashMap<>();
    try (KafkaConsumer<String, String> consumer =
        new KafkaConsumer<>(c, new StringDeserializer(), new StringDeserializer())) {
      consumer.subscribe(sent.stream().map(e -> e.type().topic()).distinct().toList());
      await()
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ZERO)
          .until(
              () -> {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(500))) {
                  if (build.toString().equals(r.key())) {
                    PipelineEvent decoded = KafkaEvents.decode(r);
                    received.put(decoded.type(), r);
                  }
                }
                return received.size() >= sent.size();
              });
    }
    assertThat(received).hasSize(sent.size());
    for (PipelineEvent e : sent) {
      ConsumerRecord<String, String> r = received.get(e.type());
      assertThat(r.topic()).isEqualTo(e.type().topic());
      assertThat(KafkaEvents.decode(r)).isEqualTo(e);
      assertThat(CloudEventHeaders.problems(r.headers())).isEmpty();
      assertThat(CloudEventHeaders.get(r.headers(), CloudEventHeaders.TYPE))
          .contains(e.type().ceType());
      assertThat(CloudEventHeaders.get(r.headers(), CloudEventHeaders.SUBJECT))
          .contains(build.toString());
      assertThat(CloudEventHeaders.get(r.headers(), CloudEventHeaders.SOURCE))
          .contains("/goldsmith/test");
    }
  }

  @Test
  void theConsoleProducerCommandOfTheDocsPublishesAValidRequest() throws Exception {
    UUID build = UUID.randomUUID();
    Process p =
        new ProcessBuilder(
                RepoFiles.resolve("deploy/publish-build-request.sh").toString(),
                "vault-base",
                "{\"networkMode\":\"ipv6\"}",
                build.toString())
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes());
    assertThat(p.waitFor()).as(out).isZero();
    assertThat(out.strip()).endsWith(build.toString());

    Properties c = new Properties();
    c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, BOOTSTRAP);
    c.put(ConsumerConfig.GROUP_ID_CONFIG, "goldsmith-events-it-cli-" + build);
    c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    java.util.concurrent.atomic.AtomicReference<BuildRequested> seen =
        new java.util.concurrent.atomic.AtomicReference<>();
    try (KafkaConsumer<String, String> consumer =
        new KafkaConsumer<>(c, new StringDeserializer(), new StringDeserializer())) {
      consumer.subscribe(List.of(Topics.BUILD_REQUESTED));
      await()
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ZERO)
          .until(
              () -> {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(500))) {
                  if (build.toString().equals(r.key())) {
                    seen.set(KafkaEvents.decode(r.headers(), r.value(), BuildRequested.class));
                  }
                }
                return seen.get() != null;
              });
    }
    BuildRequested found = seen.get();
    assertThat(found).isNotNull();
    assertThat(found.family()).isEqualTo("vault-base");
    assertThat(found.overridesOrEmpty().networkMode()).isEqualTo(NetworkMode.IPV6);
  }

  private static PipelineEvent withBuild(PipelineEvent e, UUID build) {
    String json = EventCodec.toJson(e).replace(SampleEvents.BUILD.toString(), build.toString());
    return EventCodec.fromJson(json, e.getClass());
  }
}
