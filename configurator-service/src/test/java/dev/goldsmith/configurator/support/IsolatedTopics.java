package dev.goldsmith.configurator.support;

import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import dev.goldsmith.testkit.KafkaTestSupport;

/**
 * Gives the application under test topics and a consumer group of its own, so it neither consumes
 * other tests' BuilderReady events from the shared broker (BuilderConfigured still goes to the
 * shared topic, keyed by build id).
 */
public class IsolatedTopics implements QuarkusTestResourceLifecycleManager {
  public static volatile String ready;
  public static volatile String deadLetter;

  @Override
  public Map<String, String> start() {
    ready = KafkaTestSupport.uniqueTopic("it-configurator-ready");
    deadLetter = KafkaTestSupport.uniqueTopic("it-configurator-dlq");
    for (String t : new String[] {ready, deadLetter}) {
      KafkaTestSupport.createTopic(t, 3);
    }
    return Map.of(
        "mp.messaging.incoming.builder-ready.topic", ready,
        "mp.messaging.incoming.builder-ready.group.id", ready + "-group",
        "mp.messaging.incoming.builder-ready.dead-letter-queue.topic", deadLetter);
  }

  @Override
  public void stop() {}
}
