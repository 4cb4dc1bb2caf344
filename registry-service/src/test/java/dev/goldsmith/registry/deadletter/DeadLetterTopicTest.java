package dev.goldsmith.registry.deadletter;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;

import org.junit.jupiter.api.Test;

/** A broker that does not answer is an error after the timeout, not a hang. */
class DeadLetterTopicTest {

  private static String closedPort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return "127.0.0.1:" + s.getLocalPort();
    }
  }

  @Test
  void listingWithoutABrokerFails() throws IOException {
    try (DeadLetterTopic topic =
        new DeadLetterTopic(closedPort(), "goldsmith.dead-letter", Duration.ofSeconds(2))) {
      assertThatThrownBy(topic::readAll)
          .isInstanceOf(DeadLetterTopic.BrokerUnavailable.class)
          .hasMessageContaining("did not answer");
    }
  }

  @Test
  void readingOneRecordWithoutABrokerFails() throws IOException {
    try (DeadLetterTopic topic =
        new DeadLetterTopic(closedPort(), "goldsmith.dead-letter", Duration.ofSeconds(2))) {
      assertThatThrownBy(() -> topic.read(0, 0))
          .isInstanceOf(DeadLetterTopic.BrokerUnavailable.class);
    }
  }
}
