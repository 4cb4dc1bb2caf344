package dev.goldsmith.support.it;

import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import dev.goldsmith.testkit.KafkaTestSupport;

/** Input and dead-letter topics (and the group) unique to this run, on the real broker. */
public class IsolatedTopics implements QuarkusTestResourceLifecycleManager {
  public static volatile String in;
  public static volatile String deadLetter;

  @Override
  public Map<String, String> start() {
    in = KafkaTestSupport.uniqueTopic("it-support-in");
    deadLetter = KafkaTestSupport.uniqueTopic("it-support-dlq");
    KafkaTestSupport.createTopic(in, 1);
    KafkaTestSupport.createTopic(deadLetter, 1);
    return Map.of(
        "mp.messaging.incoming.it-in.topic", in,
        "mp.messaging.incoming.it-in.group.id", in + "-group",
        "mp.messaging.incoming.it-in.dead-letter-queue.topic", deadLetter);
  }

  @Override
  public void stop() {}
}
