package dev.goldsmith.configurator.support;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

import dev.goldsmith.events.BuilderConfigured;
import dev.goldsmith.events.BuilderReady;
import dev.goldsmith.events.CloudEventHeaders;
import dev.goldsmith.events.EventCodec;
import dev.goldsmith.events.KafkaEvents;
import dev.goldsmith.events.Topics;
import dev.goldsmith.testkit.KafkaTestSupport;

/** Sends BuilderReady and reads BuilderConfigured of one build on the isolated topics. */
public final class Events {
  private Events() {}

  public static void publish(BuilderReady ready) {
    Map<String, String> headers = new HashMap<>();
    for (Header h : CloudEventHeaders.of(ready, "/goldsmith/test")) {
      headers.put(h.key(), new String(h.value(), StandardCharsets.UTF_8));
    }
    KafkaTestSupport.send(
        IsolatedTopics.ready, KafkaEvents.key(ready), EventCodec.toJson(ready), headers);
  }

  /**
   * Waits for {@code count} BuilderConfigured of {@code buildId}. They are on the shared topic:
   * EventMessages puts each event's own topic into the record metadata, which wins over the
   * channel's configured topic; the build id tells ours apart.
   */
  public static List<BuilderConfigured> configured(UUID buildId, int count, Duration timeout) {
    List<ConsumerRecord<String, String>> records =
        KafkaTestSupport.readUntil(
            Topics.BUILDER_CONFIGURED,
            rs -> rs.stream().filter(r -> buildId.toString().equals(r.key())).count() >= count,
            timeout);
    return records.stream()
        .filter(r -> buildId.toString().equals(r.key()))
        .map(r -> (BuilderConfigured) KafkaEvents.decode(r))
        .toList();
  }
}
