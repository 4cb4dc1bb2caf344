package dev.goldsmith.registry.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.goldsmith.events.BuildRequested;
import dev.goldsmith.events.BuildSpec;
import dev.goldsmith.events.CloudEventHeaders;
import dev.goldsmith.events.SnapshotCreated;
import dev.goldsmith.events.Topics;
import dev.goldsmith.hcloud.HcloudClient;
import dev.goldsmith.hcloud.HcloudConfig;
import dev.goldsmith.testkit.EmulatorProcess;
import dev.goldsmith.testkit.KafkaTestSupport;

/**
 * Scale-out: two registry processes against one database and one broker (same consumer group), 20
 * builds of two families whose verdicts arrive interleaved and out of order, one instance killed
 * with SIGKILL midway. The survivor must finish: exactly one promoted version per family (the
 * highest), one snapshot per family, every outbox event published (counted by CloudEvents id on the
 * topics), no outbox row or cloud task stuck or parked.
 */
class TwoInstancesIT {
  private static final String DB = "jdbc:postgresql://127.0.0.1:5432/goldsmith_test";
  private static final List<String> FAMILIES = List.of("reg-multi-a", "reg-multi-b");
  private static final int PER_FAMILY = 10;

  private static EmulatorProcess emulator;
  private static HcloudClient hcloud;
  private static RegistryProcess a;
  private static RegistryProcess b;

  @BeforeAll
  static void start() throws Exception {
    emulator =
        EmulatorProcess.start("virtual", Map.of("emulator.actions.default-duration", "100ms"));
    hcloud = HcloudClient.create(HcloudConfig.of(emulator.endpoint(), emulator.token()));
    String group = "goldsmith-registry-it-" + UUID.randomUUID();
    Map<String, String> env =
        Map.of("HCLOUD_ENDPOINT", emulator.endpoint(), "HCLOUD_TOKEN", emulator.token());
    Map<String, String> props = new LinkedHashMap<>();
    props.put("quarkus.datasource.jdbc.url", DB);
    props.put("kafka.bootstrap.servers", KafkaTestSupport.bootstrapServers());
    props.put("goldsmith.registry.families.dir", "src/test/resources/families");
    props.put("goldsmith.registry.families.roles-dir", "../ansible/roles");
    props.put("mp.messaging.incoming.pipeline.group.id", group);
    // As in production, the group has committed offsets (here: the topics' ends when the test
    // starts), so a partition taken over from the killed instance resumes where that one committed.
    PipelineDriver.commitGroupAtEnd(group);
    props.put("mp.messaging.incoming.pipeline.auto.offset.reset", "earliest");
    props.put("mp.messaging.incoming.pipeline.session.timeout.ms", "6000");
    props.put("mp.messaging.incoming.pipeline.heartbeat.interval.ms", "1000");
    props.put("goldsmith.registry.tasks.lease", "5s");
    props.put("goldsmith.registry.tasks.resume-interval", "2s");
    props.put("goldsmith.registry.tasks.startup-delay", "1s");
    props.put("goldsmith.registry.tasks.outbox-interval", "1s");
    props.put("goldsmith.registry.tasks.retry-delay", "1s");
    props.put("quarkus.log.category.\"dev.goldsmith\".level", "DEBUG");
    Map<String, String> first = new LinkedHashMap<>(props);
    // The first instance starts from an empty schema; the second must not clean what the first
    // uses.
    first.put("quarkus.flyway.clean-at-start", "true");
    first.put("quarkus.flyway.clean-disabled", "false");
    a = RegistryProcess.start("a", first, env);
    b = RegistryProcess.start("b", props, env);
    PipelineDriver.awaitConsumerGroupReady();
  }

  @AfterAll
  static void stop() throws Exception {
    if (a != null) {
      a.close();
    }
    if (b != null) {
      b.close();
    }
    if (hcloud != null) {
      hcloud.close();
    }
    if (emulator != null) {
      emulator.close();
    }
  }

  @Test
  void twoInstancesOneKilledMidwayFinishTheWorkExactlyOnce() throws Exception {
    // 20 builds, accepted by whichever instance holds the partition.
    Map<UUID, String> families = new LinkedHashMap<>();
    for (String family : FAMILIES) {
      for (int i = 0; i < PER_FAMILY; i++) {
        UUID id = UUID.randomUUID();
        families.put(id, family);
        PipelineDriver.send(new BuildRequested(id, family, null, "registry-it", Instant.now()));
      }
    }
    Map<UUID, BuildSpec> specs =
        PipelineDriver.awaitAccepted(families.keySet(), Duration.ofSeconds(90));
    Map<UUID, Long> images = new HashMap<>();
    for (Map.Entry<UUID, BuildSpec> e : specs.entrySet()) {
      long image = PipelineDriver.snapshot(hcloud, e.getKey(), e.getValue());
      images.put(e.getKey(), image);
      PipelineDriver.send(new SnapshotCreated(e.getKey(), e.getValue(), image, 1.0, Instant.now()));
    }
    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () ->
                PipelineDriver.count(
                        DB, "select count(*) from image_version where status = 'CANDIDATE'")
                    == 20);

    // Verdicts interleaved across families and out of version order.
    List<UUID> order = new ArrayList<>(specs.keySet());
    Collections.shuffle(order, new Random(14));
    for (UUID id : order.subList(0, 10)) {
      PipelineDriver.send(
          PipelineDriver.passed(
              id, specs.get(id), images.get(id), "passed in the two-instance test"));
    }
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> PipelineDriver.count(DB, "select count(*) from cloud_task") >= 3);
    long killedAt = System.nanoTime();
    a.kill9();
    long decidedAtKill =
        PipelineDriver.count(DB, "select count(*) from image_version where status <> 'CANDIDATE'");
    long tasksOpenAtKill =
        PipelineDriver.count(
            DB, "select count(*) from cloud_task where step not in ('DONE','FAILED')");
    long outboxPendingAtKill =
        PipelineDriver.count(DB, "select count(*) from outbox_event where published_at is null");
    for (UUID id : order.subList(10, 20)) {
      PipelineDriver.send(
          PipelineDriver.passed(
              id, specs.get(id), images.get(id), "passed in the two-instance test"));
    }

    try {
      awaitSettled();
    } catch (ConditionTimeoutException e) {
      diagnose();
      throw e;
    }
    double settleSeconds = (System.nanoTime() - killedAt) / 1e9;

    // Exactly one promoted version per family: the highest.
    for (String family : FAMILIES) {
      String highest =
          specs.values().stream()
              .filter(s -> s.family().equals(family))
              .map(BuildSpec::version)
              .max(TwoInstancesIT::compareVersions)
              .orElseThrow();
      assertThat(
              PipelineDriver.strings(
                  DB,
                  "select version from image_version where status = 'PROMOTED' and family = '"
                      + family
                      + "'"))
          .containsExactly(highest);
      UUID promotedBuild =
          specs.entrySet().stream()
              .filter(e -> e.getValue().family().equals(family))
              .filter(e -> e.getValue().version().equals(highest))
              .map(Map.Entry::getKey)
              .findFirst()
              .orElseThrow();
      assertThat(PipelineDriver.ownedSnapshots(hcloud, family))
          .containsExactly(images.get(promotedBuild));
    }
    assertThat(
            PipelineDriver.count(DB, "select count(*) from image_version where status = 'DELETED'"))
        .isEqualTo(18);
    assertThat(PipelineDriver.count(DB, "select count(*) from build where status = 'PROMOTED'"))
        .isEqualTo(2);
    assertThat(PipelineDriver.count(DB, "select count(*) from cloud_task where step = 'FAILED'"))
        .isZero();
    assertThat(
            PipelineDriver.count(
                DB, "select count(*) from outbox_event where parked_at is not null"))
        .isZero();

    // Every outbox event of these builds on its topic, counted by CloudEvents id.
    Set<String> buildKeys = specs.keySet().stream().map(UUID::toString).collect(Collectors.toSet());
    Map<String, String> rows = new HashMap<>();
    try (Connection c = DriverManager.getConnection(DB, "goldsmith", "goldsmith");
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("select ce_id, event_type, build_id from outbox_event")) {
      while (rs.next()) {
        if (buildKeys.contains(rs.getString(3))) {
          rows.put(rs.getString(1), rs.getString(2));
        }
      }
    }
    Map<String, Integer> seen = new HashMap<>();
    for (String topic : List.of(Topics.BUILD_ACCEPTED, Topics.IMAGE_PROMOTED)) {
      List<ConsumerRecord<String, String>> records =
          KafkaTestSupport.readUntil(
              topic,
              rs ->
                  rs.stream().map(TwoInstancesIT::ceId).filter(rows::containsKey).distinct().count()
                      >= rows.values().stream().filter(t -> topicOf(t).equals(topic)).count(),
              Duration.ofSeconds(60));
      for (ConsumerRecord<String, String> r : records) {
        String id = ceId(r);
        if (rows.containsKey(id)) {
          seen.merge(id, 1, Integer::sum);
        }
      }
    }
    long duplicates = seen.values().stream().filter(n -> n > 1).count();
    long promotedEvents = rows.values().stream().filter("IMAGE_PROMOTED"::equals).count();
    System.out.printf(
        "two-instance figures: builds=%d verdicts=20 killed=instance-a(pid %d) after %d decided"
            + " verdicts (open tasks %d, unpublished outbox rows %d at the kill);"
            + " settled %.1f s after the kill; outbox rows=%d (ImagePromoted %d),"
            + " distinct CloudEvents ids on the topics=%d, ids seen more than once=%d,"
            + " promoted per family=1, snapshots left per family=1, parked=0, stuck=0%n",
        specs.size(),
        a.pid(),
        decidedAtKill,
        tasksOpenAtKill,
        outboxPendingAtKill,
        settleSeconds,
        rows.size(),
        promotedEvents,
        seen.size(),
        duplicates);
    assertThat(seen.keySet()).as("every outbox event was published").isEqualTo(rows.keySet());
    // Only a row whose send was acknowledged just before the kill, and not yet marked, may be sent
    // again, with the same id (consumers dedupe by id); nothing else is sent twice.
    assertThat(duplicates).isLessThanOrEqualTo(1);
  }

  private static void awaitSettled() {
    await()
        .atMost(Duration.ofSeconds(180))
        .pollInterval(Duration.ofMillis(500))
        .until(
            () ->
                PipelineDriver.count(
                            DB,
                            "select count(*) from image_version where status in ('BUILDING','CANDIDATE')")
                        == 0
                    && PipelineDriver.count(
                            DB,
                            "select count(*) from cloud_task where step not in ('DONE','FAILED')")
                        == 0
                    && PipelineDriver.count(
                            DB, "select count(*) from outbox_event where published_at is null")
                        == 0
                    && FAMILIES.stream()
                        .allMatch(f -> PipelineDriver.ownedSnapshots(hcloud, f).size() == 1));
  }

  /** On a timeout: the survivor's threads and the database's locks, next to its log in target/. */
  private static void diagnose() throws Exception {
    new ProcessBuilder("jstack", Long.toString(b.pid()))
        .redirectOutput(Path.of("target", "registry-b.jstack").toFile())
        .redirectErrorStream(true)
        .start()
        .waitFor();
    System.out.println(
        "stalled: versions in progress="
            + PipelineDriver.count(
                DB, "select count(*) from image_version where status in ('BUILDING','CANDIDATE')")
            + " open tasks="
            + PipelineDriver.count(
                DB, "select count(*) from cloud_task where step not in ('DONE','FAILED')")
            + " unpublished="
            + PipelineDriver.count(
                DB, "select count(*) from outbox_event where published_at is null")
            + " waiting backends="
            + PipelineDriver.count(
                DB,
                "select count(*) from pg_stat_activity where datname = 'goldsmith_test'"
                    + " and wait_event_type = 'Lock'")
            + " (thread dump in target/registry-b.jstack)");
  }

  private static String topicOf(String eventType) {
    return switch (eventType) {
      case "BUILD_ACCEPTED" -> Topics.BUILD_ACCEPTED;
      case "IMAGE_PROMOTED" -> Topics.IMAGE_PROMOTED;
      default -> "other";
    };
  }

  private static String ceId(ConsumerRecord<String, String> r) {
    Header h = r.headers().lastHeader(CloudEventHeaders.ID);
    return h == null ? "" : new String(h.value(), StandardCharsets.UTF_8);
  }

  private static int compareVersions(String x, String y) {
    String[] px = x.split("-v");
    String[] py = y.split("-v");
    int day = px[0].compareTo(py[0]);
    return day != 0 ? day : Integer.compare(Integer.parseInt(px[1]), Integer.parseInt(py[1]));
  }
}
