package dev.goldsmith.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.util.Arrays;

import org.junit.jupiter.api.Test;

class TopicsTest {

  @Test
  void theBrokerScriptCreatesExactlyTheTopicsOfTheCode() throws IOException {
    var listed =
        Files.readAllLines(RepoFiles.resolve("deploy/kafka/topics.txt")).stream()
            .map(String::trim)
            .filter(l -> !l.isEmpty() && !l.startsWith("#"))
            .toList();
    assertThat(listed).containsExactlyInAnyOrderElementsOf(Topics.ALL);
  }

  @Test
  void everyEventTypeHasAVersionedTypeAndAKnownTopic() {
    assertThat(EventType.values())
        .allSatisfy(
            t -> {
              assertThat(Topics.ALL).contains(t.topic());
              assertThat(t.ceType()).startsWith("dev.goldsmith.").endsWith(".v1");
              assertThat(EventType.byCeType(t.ceType())).contains(t);
            });
    assertThat(Arrays.stream(EventType.values()).map(EventType::ceType).distinct())
        .hasSize(EventType.values().length);
  }
}
