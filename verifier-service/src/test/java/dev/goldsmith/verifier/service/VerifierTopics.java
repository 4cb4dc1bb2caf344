package dev.goldsmith.verifier.service;

import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import dev.goldsmith.testkit.KafkaTestSupport;

/**
 * Topics and a consumer group of this test run only, so the service under test neither consumes
 * other modules' SnapshotCreated records nor publishes verdicts onto the shared pipeline topics.
 */
public class VerifierTopics implements QuarkusTestResourceLifecycleManager {

  static volatile String snapshotCreated;
  static volatile String verified;
  static volatile String deadLetter;

  @Override
  public Map<String, String> start() {
    snapshotCreated = KafkaTestSupport.uniqueTopic("verifier-it-snapshot-created");
    verified = KafkaTestSupport.uniqueTopic("verifier-it-image-verified");
    deadLetter = KafkaTestSupport.uniqueTopic("verifier-it-dead-letter");
    KafkaTestSupport.createTopic(snapshotCreated, 1);
    KafkaTestSupport.createTopic(verified, 1);
    KafkaTestSupport.createTopic(deadLetter, 1);
    return Map.of(
        "mp.messaging.incoming.snapshot-created.topic", snapshotCreated,
        "mp.messaging.incoming.snapshot-created.group.id", snapshotCreated + "-group",
        "mp.messaging.incoming.snapshot-created.dead-letter-queue.topic", deadLetter,
        "mp.messaging.outgoing.verification-finished.topic", verified);
  }

  @Override
  public void stop() {}
}
