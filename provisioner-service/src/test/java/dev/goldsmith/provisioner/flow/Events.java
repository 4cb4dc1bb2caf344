package dev.goldsmith.provisioner.flow;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;

import dev.goldsmith.events.BinaryCheck;
import dev.goldsmith.events.BuildAccepted;
import dev.goldsmith.events.BuildSpec;
import dev.goldsmith.events.BuilderConfigured;
import dev.goldsmith.events.ImageChecks;
import dev.goldsmith.events.KafkaEvents;
import dev.goldsmith.events.NetworkMode;
import dev.goldsmith.events.PipelineEvent;
import dev.goldsmith.events.Provenance;
import dev.goldsmith.events.UserBinaries;
import dev.goldsmith.events.VerificationMatrix;
import dev.goldsmith.testkit.KafkaTestSupport;

/** Test helpers: valid events, sending to the test's input topics, reading outputs by build id. */
public final class Events {
  private Events() {}

  public static BuildSpec spec() {
    return new BuildSpec(
        "base",
        "20261125-v1",
        "debian-12",
        "cx23",
        "fsn1",
        "golden-image.yml",
        Map.of(),
        new VerificationMatrix(
            List.of(
                new UserBinaries(
                    "root", List.of(new BinaryCheck("ls", List.of("--version"), List.of("/usr"))))),
            new ImageChecks(List.of(), Map.of(), List.of())),
        NetworkMode.IPV4,
        1);
  }

  public static BuildAccepted accepted(UUID buildId) {
    return new BuildAccepted(buildId, spec(), Instant.now());
  }

  /** What the configurator reports about a run that happened. */
  public static final Provenance CONFIGURED =
      Provenance.configured(
          "c61c3a77114f603189b12fdf86c96583e3bb5fc2",
          true,
          "4d2c9a0e7b1f3c5a8e6d4b2a0f9e7c5b3a1d8f6e4c2b0a9e7d5c3b1a0f8e6d4c",
          "e3b7a1c9d5f2e8b4a6c0d2f4e6a8b0c2d4e6f8a0b2c4d6e8f0a2b4c6d8e0f2a4");

  public static BuilderConfigured configured(UUID buildId, long serverId, boolean ok) {
    return configured(buildId, serverId, ok ? null : BuilderConfigured.PLAYBOOK_FAILED);
  }

  /** OK when {@code reasonClass} is null, else FAILED for that reason. */
  public static BuilderConfigured configured(UUID buildId, long serverId, String reasonClass) {
    boolean ok = reasonClass == null;
    return new BuilderConfigured(
        buildId,
        spec(),
        serverId,
        ok ? BuilderConfigured.Outcome.OK : BuilderConfigured.Outcome.FAILED,
        ok ? null : "Install packages",
        ok ? null : "apt failed",
        reasonClass,
        3,
        null,
        CONFIGURED,
        Instant.now());
  }

  /** Sends {@code event} to the input topic of {@code channel} as a producer would. */
  public static void send(String topic, PipelineEvent event) {
    ProducerRecord<String, String> record = KafkaEvents.toRecord(event, "/goldsmith/test");
    Map<String, String> headers =
        java.util.stream.StreamSupport.stream(record.headers().spliterator(), false)
            .collect(
                Collectors.toMap(
                    Header::key,
                    h -> new String(h.value(), java.nio.charset.StandardCharsets.UTF_8),
                    (a, b) -> b,
                    java.util.LinkedHashMap::new));
    KafkaTestSupport.send(topic, record.key(), record.value(), headers);
  }

  /** Events of {@code type} for {@code buildId} on their real topic, waiting for {@code count}. */
  public static <T extends PipelineEvent> List<T> await(
      Class<T> type, UUID buildId, int count, Duration timeout) {
    String topic = dev.goldsmith.events.EventType.of(type).topic();
    List<ConsumerRecord<String, String>> records =
        KafkaTestSupport.readUntil(
            topic, rs -> ofBuild(rs, type, buildId).size() >= count, timeout);
    return ofBuild(records, type, buildId);
  }

  private static <T extends PipelineEvent> List<T> ofBuild(
      List<ConsumerRecord<String, String>> records, Class<T> type, UUID buildId) {
    return records.stream()
        .filter(r -> buildId.toString().equals(r.key()))
        .map(KafkaEvents::decode)
        .filter(type::isInstance)
        .map(type::cast)
        .toList();
  }
}
