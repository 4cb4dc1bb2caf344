package dev.goldsmith.provisioner.flow;

import java.util.LinkedHashMap;
import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import dev.goldsmith.events.Topics;
import dev.goldsmith.testkit.KafkaTestSupport;

/**
 * Gives the service under test input topics of its own (unique per run), so it consumes only what
 * the test sends and never the events of other tests sharing the broker. Outputs still go to the
 * real topics (the topic is part of each outgoing message); tests filter them by build id.
 */
public class TestTopics implements QuarkusTestResourceLifecycleManager {
  /** Input topic of each incoming channel, set by {@link #start()}. */
  public static final Map<String, String> INPUTS = new LinkedHashMap<>();

  /** Creates one unique topic per input channel and returns the overrides for them. */
  public static Map<String, String> create() {
    Map<String, String> channels = new LinkedHashMap<>();
    channels.put("build-accepted", Topics.BUILD_ACCEPTED);
    channels.put("builder-configured", Topics.BUILDER_CONFIGURED);
    channels.put("janitor-build-failed", Topics.BUILD_FAILED);
    channels.put("janitor-image-promoted", Topics.IMAGE_PROMOTED);
    channels.put("janitor-image-verified", Topics.IMAGE_VERIFIED);
    Map<String, String> config = new LinkedHashMap<>();
    Map<String, String> inputs = new LinkedHashMap<>();
    channels.forEach(
        (channel, real) -> {
          String topic = KafkaTestSupport.uniqueTopic(real + ".ptest");
          KafkaTestSupport.createTopic(topic, 2);
          inputs.put(channel, topic);
          config.put("mp.messaging.incoming." + channel + ".topic", topic);
        });
    synchronized (INPUTS) {
      INPUTS.clear();
      INPUTS.putAll(inputs);
    }
    return config;
  }

  @Override
  public Map<String, String> start() {
    return create();
  }

  @Override
  public void stop() {
    // the topics are tiny and unique; leaving them costs nothing and keeps evidence for debugging
  }
}
