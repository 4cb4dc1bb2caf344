package dev.goldsmith.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/** KafkaTestSupport against the local broker (deploy/kafka-local.sh start). */
class KafkaTestSupportIT {

  @Test
  void createsSendsAndReadsBack() {
    String topic = KafkaTestSupport.uniqueTopic("testkit");
    KafkaTestSupport.createTopic(topic, 2);
    KafkaTestSupport.createTopic(topic, 2); // existing topic is fine
    KafkaTestSupport.send(topic, "k1", "v1", Map.of("ce_type", "test"));
    KafkaTestSupport.send(topic, "k2", "v2", Map.of());
    List<ConsumerRecord<String, String>> records =
        KafkaTestSupport.read(topic, 2, Duration.ofSeconds(30));
    assertThat(records).extracting(ConsumerRecord::value).containsExactlyInAnyOrder("v1", "v2");
    ConsumerRecord<String, String> first =
        records.stream().filter(r -> r.key().equals("k1")).findFirst().orElseThrow();
    assertThat(new String(first.headers().lastHeader("ce_type").value())).isEqualTo("test");
    assertThat(KafkaTestSupport.read(topic, 3, Duration.ofSeconds(2))).hasSize(2);
  }
}
