package dev.goldsmith.registry.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringDeserializer;

import dev.goldsmith.events.BuildAccepted;
import dev.goldsmith.events.BuildRequested;
import dev.goldsmith.events.BuildSpec;
import dev.goldsmith.events.CloudEventHeaders;
import dev.goldsmith.events.EventCodec;
import dev.goldsmith.events.PipelineEvent;
import dev.goldsmith.events.Topics;
import dev.goldsmith.events.Verdict;
import dev.goldsmith.events.VerificationFinished;
import dev.goldsmith.events.VerificationReport;
import dev.goldsmith.hcloud.HcloudClient;
import dev.goldsmith.hcloud.model.CreateImageRequest;
import dev.goldsmith.hcloud.model.CreateImageResult;
import dev.goldsmith.hcloud.model.CreateServerRequest;
import dev.goldsmith.hcloud.model.CreateServerResult;
import dev.goldsmith.hcloud.model.ImageQuery;
import dev.goldsmith.hcloud.model.ImageType;
import dev.goldsmith.testkit.KafkaTestSupport;

/**
 * Plays the other services for registry processes under test: events on the real broker, snapshots
 * on the emulator, and reads of the registry's database.
 */
final class PipelineDriver {
  private static final String SOURCE = "/goldsmith/registry-it";

  private PipelineDriver() {}

  static void send(PipelineEvent event) {
    Map<String, String> headers = new LinkedHashMap<>();
    for (Header h : CloudEventHeaders.of(event, SOURCE)) {
      headers.put(h.key(), new String(h.value(), StandardCharsets.UTF_8));
    }
    KafkaTestSupport.send(
        event.type().topic(), event.buildId().toString(), EventCodec.toJson(event), headers);
  }

  static VerificationFinished passed(UUID id, BuildSpec spec, long image, String summary) {
    return new VerificationFinished(
        id,
        spec,
        image,
        Verdict.PASSED,
        "ipv4",
        new VerificationReport(List.of(), List.of(), summary),
        1,
        Instant.now());
  }

  /** The specs of the BuildAccepted answers to {@code ids}, waiting for all of them. */
  static Map<UUID, BuildSpec> awaitAccepted(Set<UUID> ids, Duration timeout) {
    Set<String> keys = ids.stream().map(UUID::toString).collect(Collectors.toSet());
    List<ConsumerRecord<String, String>> records =
        KafkaTestSupport.readUntil(
            Topics.BUILD_ACCEPTED,
            rs ->
                rs.stream().map(ConsumerRecord::key).filter(keys::contains).distinct().count()
                    == ids.size(),
            timeout);
    Map<UUID, BuildSpec> specs = new LinkedHashMap<>();
    for (ConsumerRecord<String, String> r : records) {
      if (keys.contains(r.key())) {
        specs.put(
            UUID.fromString(r.key()), EventCodec.fromJson(r.value(), BuildAccepted.class).spec());
      }
    }
    assertThat(specs).hasSize(ids.size());
    return specs;
  }

  /** Waits until the group answers a probe request (its consumers are assigned). */
  static void awaitConsumerGroupReady() {
    long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
    while (System.nanoTime() < deadline) {
      UUID probe = UUID.randomUUID();
      send(new BuildRequested(probe, "no-such-family", null, "registry-it", Instant.now()));
      List<ConsumerRecord<String, String>> got =
          KafkaTestSupport.readUntil(
              Topics.BUILD_REJECTED,
              rs -> rs.stream().anyMatch(r -> probe.toString().equals(r.key())),
              Duration.ofSeconds(5));
      if (got.stream().anyMatch(r -> probe.toString().equals(r.key()))) {
        return;
      }
    }
    throw new AssertionError("no registry instance answered a probe request");
  }

  /** Commits the end of every partition of the registry's topics for a fresh consumer group. */
  static void commitGroupAtEnd(String group) {
    Properties p = new Properties();
    p.put("bootstrap.servers", KafkaTestSupport.bootstrapServers());
    p.put("group.id", group);
    p.put("enable.auto.commit", "false");
    p.put("key.deserializer", StringDeserializer.class.getName());
    p.put("value.deserializer", StringDeserializer.class.getName());
    try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(p)) {
      List<TopicPartition> partitions = new ArrayList<>();
      for (String topic : Topics.ALL) {
        consumer
            .partitionsFor(topic, Duration.ofSeconds(10))
            .forEach(i -> partitions.add(new TopicPartition(topic, i.partition())));
      }
      Map<TopicPartition, OffsetAndMetadata> ends = new HashMap<>();
      consumer
          .endOffsets(partitions, Duration.ofSeconds(10))
          .forEach((tp, end) -> ends.put(tp, new OffsetAndMetadata(end)));
      consumer.commitSync(ends, Duration.ofSeconds(10));
    }
  }

  /** A candidate snapshot of the build on the emulator, as the provisioner makes it. */
  static long snapshot(HcloudClient hcloud, UUID buildId, BuildSpec spec) {
    CreateServerResult server =
        hcloud
            .servers()
            .createAndAwait(
                CreateServerRequest.builder(
                        "reg-it-" + buildId.toString().substring(0, 8),
                        spec.serverType(),
                        spec.baseImage())
                    .location(spec.location())
                    .label("goldsmith.dev/managed", "true")
                    .build());
    hcloud.actions().waitForAndAwait(server.allActions());
    Map<String, String> labels = new HashMap<>();
    labels.put("goldsmith.dev/managed", "true");
    labels.put("goldsmith.dev/installation", spec.installationId());
    labels.put("goldsmith.dev/family", spec.family());
    labels.put("goldsmith.dev/version", spec.version());
    labels.put("goldsmith.dev/build-id", buildId.toString());
    CreateImageResult image =
        hcloud
            .servers()
            .createImageAndAwait(
                server.server().id(),
                CreateImageRequest.snapshot(spec.family() + " " + spec.version(), labels));
    hcloud.actions().waitForAndAwait(image.action());
    hcloud.actions().waitForAndAwait(hcloud.servers().deleteAndAwait(server.server().id()));
    return image.image().id();
  }

  static List<Long> ownedSnapshots(HcloudClient hcloud, String family) {
    return hcloud
        .images()
        .allAndAwait(
            ImageQuery.all()
                .withType(ImageType.SNAPSHOT)
                .withLabelSelector("goldsmith.dev/family=" + family))
        .stream()
        .filter(i -> i.deleted() == null)
        .map(i -> i.id())
        .toList();
  }

  static long count(String db, String sql) {
    try (Connection c = DriverManager.getConnection(db, "goldsmith", "goldsmith");
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  static List<String> strings(String db, String sql) throws SQLException {
    List<String> out = new ArrayList<>();
    try (Connection c = DriverManager.getConnection(db, "goldsmith", "goldsmith");
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      while (rs.next()) {
        out.add(rs.getString(1));
      }
    }
    return out;
  }
}
