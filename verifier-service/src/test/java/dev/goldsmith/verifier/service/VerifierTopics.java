package dev.goldsmith.verifier.service;

import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import dev.goldsmith.testkit.KafkaTestSupport;

/**
 * An input topic, dead-letter topic and consumer group of this test run only, so the service under
 * test does not consume other modules' SnapshotCreated records. Verdicts go to the shared topic
 * (EventMessages puts the event type's topic into the record metadata, which wins over the
 * channel's topic); tests filter them by their own build ids.
 */
public class VerifierTopics implements QuarkusTestResourceLifecycleManager {

  static volatile String snapshotCreated;
  static volatile String deadLetter;

  @Override
  public Map<String, String> start() {
    snapshotCreated = KafkaTestSupport.uniqueTopic("verifier-it-snapshot-created");
    deadLetter = KafkaTestSupport.uniqueTopic("verifier-it-dead-letter");
    KafkaTestSupport.createTopic(snapshotCreated, 1);
    KafkaTestSupport.createTopic(deadLetter, 1);
    return Map.of(
        "mp.messaging.incoming.snapshot-created.topic", snapshotCreated,
        "mp.messaging.incoming.snapshot-created.group.id", snapshotCreated + "-group",
        "mp.messaging.incoming.snapshot-created.dead-letter-queue.topic", deadLetter);
  }

  @Override
  public void stop() {}
}
