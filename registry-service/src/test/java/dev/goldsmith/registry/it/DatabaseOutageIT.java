package dev.goldsmith.registry.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.goldsmith.events.BuildFailed;
import dev.goldsmith.events.BuildRequested;
import dev.goldsmith.events.BuildSpec;
import dev.goldsmith.events.BuilderConfigured;
import dev.goldsmith.events.BuilderReady;
import dev.goldsmith.events.FailureClass;
import dev.goldsmith.events.SnapshotCreated;
import dev.goldsmith.events.Topics;
import dev.goldsmith.hcloud.HcloudClient;
import dev.goldsmith.hcloud.HcloudConfig;
import dev.goldsmith.testkit.EmulatorProcess;
import dev.goldsmith.testkit.KafkaTestSupport;

/**
 * Issue 15: the registry's database stopped for 30 s while a verdict arrives. The packaged registry
 * runs against a PostgreSQL cluster of this test's own ({@link PrivatePostgres}), which the test
 * stops and starts; the verdict must be waited out in place (readiness {@code event-consumers} DOWN
 * meanwhile, nothing on the dead-letter topic) and applied once the database is back: the build
 * ends PROMOTED. Likewise a build request (accepted afterwards, not rejected), and every other
 * stage the registry consumes (BuilderReady, BuilderConfigured, SnapshotCreated, BuildFailed;
 * applied once each) arriving during an outage; and a build request arriving during a cloud outage
 * (accepted once the cloud is back, never rejected).
 */
class DatabaseOutageIT {
  private static final String FAMILY = "reg-promo";
  private static final Duration OUTAGE = Duration.ofSeconds(30);
  private static final String DEAD_LETTER = "goldsmith.dead-letter";
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String HOST_KEY =
      "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIDbjAa9kqxzfxropLPkFPAo0nzm0sSk7KTtaKYR1fHFq";

  private static EmulatorProcess emulator;
  private static HcloudClient hcloud;
  private static PrivatePostgres postgres;
  private static RegistryProcess registry;

  @BeforeAll
  static void start() throws Exception {
    emulator =
        EmulatorProcess.start("virtual", Map.of("emulator.actions.default-duration", "100ms"));
    hcloud = HcloudClient.create(HcloudConfig.of(emulator.endpoint(), emulator.token()));
    postgres = PrivatePostgres.create("pg-database-outage");
    String group = "goldsmith-registry-outage-" + UUID.randomUUID();
    PipelineDriver.commitGroupAtEnd(group);
    Map<String, String> props = new LinkedHashMap<>();
    props.put("quarkus.datasource.jdbc.url", postgres.jdbcUrl());
    props.put("kafka.bootstrap.servers", KafkaTestSupport.bootstrapServers());
    props.put("goldsmith.registry.families.dir", "src/test/resources/families");
    props.put("goldsmith.registry.families.roles-dir", "../ansible/roles");
    props.put("mp.messaging.incoming.pipeline.group.id", group);
    props.put("mp.messaging.incoming.pipeline.auto.offset.reset", "earliest");
    props.put("goldsmith.registry.tasks.resume-interval", "2s");
    props.put("goldsmith.registry.tasks.startup-delay", "1s");
    props.put("goldsmith.registry.tasks.outbox-interval", "1s");
    props.put("goldsmith.registry.tasks.retry-delay", "1s");
    props.put("goldsmith.consumer.retry.max-delay", "5s");
    // The database's own check answers at once while the server is down.
    props.put("quarkus.datasource.jdbc.acquisition-timeout", "3s");
    registry =
        RegistryProcess.start(
            "outage",
            props,
            Map.of("HCLOUD_ENDPOINT", emulator.endpoint(), "HCLOUD_TOKEN", emulator.token()));
    PipelineDriver.awaitConsumerGroupReady();
  }

  @AfterAll
  static void stop() throws Exception {
    if (registry != null) {
      registry.close();
    }
    if (postgres != null) {
      postgres.close();
    }
    if (hcloud != null) {
      hcloud.close();
    }
    if (emulator != null) {
      emulator.close();
    }
  }

  @Test
  void verdictDuringDatabaseOutageIsWaitedOutAndTheBuildIsPromoted() throws Exception {
    UUID id = UUID.randomUUID();
    PipelineDriver.send(new BuildRequested(id, FAMILY, null, "registry-outage-it", Instant.now()));
    BuildSpec spec = PipelineDriver.awaitAccepted(Set.of(id), Duration.ofSeconds(60)).get(id);
    long image = PipelineDriver.snapshot(hcloud, id, spec);
    PipelineDriver.send(new SnapshotCreated(id, spec, image, 1.0, Instant.now()));
    await("candidate")
        .atMost(Duration.ofSeconds(60))
        .until(() -> "SNAPSHOTTED".equals(buildStatus(id)));

    // The verdict waits in place: the consumer's readiness names it while the database is down.
    Outage outage =
        databaseOutage(
            () ->
                PipelineDriver.send(
                    PipelineDriver.passed(id, spec, image, "passed during the outage")));

    await("PROMOTED after the restart")
        .atMost(Duration.ofSeconds(90))
        .pollInterval(Duration.ofMillis(500))
        .until(() -> "PROMOTED".equals(buildStatus(id)));
    await("event-consumers UP")
        .atMost(Duration.ofSeconds(30))
        .until(() -> check("event-consumers"), c -> c != null && !isDown(c));
    await("promoted label")
        .atMost(Duration.ofSeconds(60))
        .until(
            () ->
                "true"
                    .equals(
                        hcloud
                            .images()
                            .getAndAwait(image)
                            .orElseThrow()
                            .labels()
                            .get("goldsmith.dev/promoted")));

    List<ConsumerRecord<String, String>> parked =
        KafkaTestSupport.readUntil(DEAD_LETTER, rs -> false, Duration.ofSeconds(5)).stream()
            .filter(r -> id.toString().equals(r.key()))
            .toList();
    assertThat(parked).as("records of the build on the dead-letter topic").isEmpty();
    assertThat(
            PipelineDriver.count(
                postgres.jdbcUrl(),
                "select count(*) from timeline_event where build_id = '"
                    + id
                    + "' and event_type = 'VERIFICATION_FINISHED'"))
        .isEqualTo(1);
    System.out.printf(
        "database-outage figures: outage %.1f s, readiness samples DOWN=%d, waiting=%s,"
            + " build PROMOTED, dead-lettered=0%n",
        outage.seconds(), outage.downSamples(), outage.waiting().path("data"));
  }

  @Test
  void requestAndTimelineEventDuringDatabaseOutageAreHandledAfterTheRestart() throws Exception {
    UUID first = UUID.randomUUID();
    PipelineDriver.send(
        new BuildRequested(first, FAMILY, null, "registry-outage-it", Instant.now()));
    BuildSpec spec = PipelineDriver.awaitAccepted(Set.of(first), Duration.ofSeconds(60)).get(first);
    await("accepted")
        .atMost(Duration.ofSeconds(30))
        .until(() -> "ACCEPTED".equals(buildStatus(first)));

    UUID second = UUID.randomUUID();
    databaseOutage(
        () -> {
          PipelineDriver.send(
              new BuildRequested(second, FAMILY, null, "registry-outage-it", Instant.now()));
          PipelineDriver.send(
              new BuilderReady(first, spec, 4242L, "203.0.113.7", null, HOST_KEY, Instant.now()));
        });

    // The request waited, and is accepted (not rejected) once the database is back.
    PipelineDriver.awaitAccepted(Set.of(second), Duration.ofSeconds(90));
    await("timeline event applied")
        .atMost(Duration.ofSeconds(90))
        .pollInterval(Duration.ofMillis(500))
        .until(() -> "PROVISIONED".equals(buildStatus(first)));
    assertThat(buildStatus(second)).isEqualTo("ACCEPTED");
    assertThat(
            PipelineDriver.count(
                postgres.jdbcUrl(),
                "select count(*) from timeline_event where build_id = '"
                    + first
                    + "' and event_type = 'BUILDER_READY'"))
        .isEqualTo(1);
    assertThat(
            KafkaTestSupport.readUntil(Topics.BUILD_REJECTED, rs -> false, Duration.ofSeconds(3))
                .stream()
                .filter(r -> second.toString().equals(r.key())))
        .as("no rejection of the request that arrived during the outage")
        .isEmpty();
    assertThat(
            KafkaTestSupport.readUntil(DEAD_LETTER, rs -> false, Duration.ofSeconds(5)).stream()
                .filter(r -> first.toString().equals(r.key()) || second.toString().equals(r.key())))
        .as("records of the builds on the dead-letter topic")
        .isEmpty();
  }

  /**
   * The remaining stages the registry consumes, during one outage: a BuilderConfigured, a
   * BuilderConfigured followed by its SnapshotCreated, and a BuildFailed, each for another build.
   * All are applied once the database is back, in order, once each, and nothing is parked.
   */
  @Test
  void configuredSnapshotAndFailureDuringDatabaseOutageAreAppliedAfterTheRestart()
      throws Exception {
    UUID configured = UUID.randomUUID();
    UUID snapshotted = UUID.randomUUID();
    UUID failed = UUID.randomUUID();
    for (UUID id : List.of(configured, snapshotted, failed)) {
      PipelineDriver.send(
          new BuildRequested(id, FAMILY, null, "registry-outage-it", Instant.now()));
    }
    Map<UUID, BuildSpec> specs =
        PipelineDriver.awaitAccepted(
            Set.of(configured, snapshotted, failed), Duration.ofSeconds(60));
    for (UUID id : List.of(configured, snapshotted)) {
      PipelineDriver.send(
          new BuilderReady(id, specs.get(id), 4243L, "203.0.113.8", null, HOST_KEY, Instant.now()));
    }
    await("provisioned")
        .atMost(Duration.ofSeconds(60))
        .until(
            () ->
                "PROVISIONED".equals(buildStatus(configured))
                    && "PROVISIONED".equals(buildStatus(snapshotted))
                    && "ACCEPTED".equals(buildStatus(failed)));
    long image = PipelineDriver.snapshot(hcloud, snapshotted, specs.get(snapshotted));

    databaseOutage(
        () -> {
          for (UUID id : List.of(configured, snapshotted)) {
            PipelineDriver.send(
                new BuilderConfigured(
                    id,
                    specs.get(id),
                    4243L,
                    BuilderConfigured.Outcome.OK,
                    null,
                    null,
                    null,
                    3,
                    "configure.log",
                    Instant.now()));
          }
          PipelineDriver.send(
              new SnapshotCreated(snapshotted, specs.get(snapshotted), image, 1.0, Instant.now()));
          BuildSpec f = specs.get(failed);
          PipelineDriver.send(
              new BuildFailed(
                  failed,
                  f.family(),
                  f.version(),
                  BuildFailed.Stage.PROVISION,
                  FailureClass.ACTION_FAILED,
                  "create_server failed during the outage",
                  List.of(),
                  Instant.now()));
        });

    await("every stage applied")
        .atMost(Duration.ofSeconds(90))
        .pollInterval(Duration.ofMillis(500))
        .until(
            () ->
                "CONFIGURED".equals(buildStatus(configured))
                    && "SNAPSHOTTED".equals(buildStatus(snapshotted))
                    && "FAILED".equals(buildStatus(failed)));
    Map<String, Long> expected =
        Map.of(
            configured + "/BUILDER_CONFIGURED", 1L,
            snapshotted + "/BUILDER_CONFIGURED", 1L,
            snapshotted + "/SNAPSHOT_CREATED", 1L,
            failed + "/BUILD_FAILED", 1L);
    for (Map.Entry<String, Long> e : expected.entrySet()) {
      String[] key = e.getKey().split("/");
      assertThat(
              PipelineDriver.count(
                  postgres.jdbcUrl(),
                  "select count(*) from timeline_event where build_id = '"
                      + key[0]
                      + "' and event_type = '"
                      + key[1]
                      + "'"))
          .as(e.getKey())
          .isEqualTo(e.getValue());
    }
    Set<String> ours = Set.of(configured.toString(), snapshotted.toString(), failed.toString());
    assertThat(
            KafkaTestSupport.readUntil(DEAD_LETTER, rs -> false, Duration.ofSeconds(5)).stream()
                .filter(r -> ours.contains(r.key())))
        .as("records of the builds on the dead-letter topic")
        .isEmpty();
  }

  /**
   * A cloud outage at intake (the emulator answers 503 to everything) says nothing about the
   * request: it is waited out in place and the build is accepted afterwards, never rejected or
   * parked.
   */
  @Test
  void aRequestDuringACloudOutageIsAcceptedOnceTheCloudIsBack() throws Exception {
    Map<String, Object> rule = emulator.control().addFault(Map.of());
    UUID id = UUID.randomUUID();
    try {
      PipelineDriver.send(
          new BuildRequested(id, FAMILY, null, "registry-outage-it", Instant.now()));
      await("the intake asked the cloud and was refused")
          .atMost(Duration.ofSeconds(30))
          .pollInterval(Duration.ofMillis(500))
          .until(() -> fired(rule.get("id")) >= 3);
      Thread.sleep(5000);
      assertThat(buildStatus(id)).as("no answer while the cloud is down").isNull();
    } finally {
      emulator.control().removeFault(String.valueOf(rule.get("id")));
    }
    PipelineDriver.awaitAccepted(Set.of(id), Duration.ofSeconds(90));
    assertThat(buildStatus(id)).isEqualTo("ACCEPTED");
    assertThat(
            KafkaTestSupport.readUntil(Topics.BUILD_REJECTED, rs -> false, Duration.ofSeconds(3))
                .stream()
                .filter(r -> id.toString().equals(r.key())))
        .as("no rejection of a request that arrived during a cloud outage")
        .isEmpty();
    assertThat(
            KafkaTestSupport.readUntil(DEAD_LETTER, rs -> false, Duration.ofSeconds(5)).stream()
                .filter(r -> id.toString().equals(r.key())))
        .as("the request on the dead-letter topic")
        .isEmpty();
  }

  /** How often the fault rule has answered so far (0 once it is gone). */
  private static long fired(Object ruleId) {
    return emulator.control().faults().stream()
        .filter(f -> String.valueOf(ruleId).equals(String.valueOf(f.get("id"))))
        .mapToLong(f -> ((Number) f.getOrDefault("fired", 0)).longValue())
        .findFirst()
        .orElse(0);
  }

  /** What {@link #databaseOutage} saw. */
  private record Outage(JsonNode waiting, int downSamples, double seconds) {}

  private interface Sends {
    void run() throws Exception;
  }

  /**
   * Stops the database, sends what arrives during the outage, and holds the outage for {@link
   * #OUTAGE}: readiness {@code event-consumers} must go DOWN and stay DOWN, sampled once a second,
   * while the registry keeps running; then starts the database again.
   */
  private static Outage databaseOutage(Sends duringOutage) throws Exception {
    postgres.stop();
    long stoppedAt = System.nanoTime();
    duringOutage.run();
    JsonNode waiting =
        await("event-consumers DOWN")
            .atMost(Duration.ofSeconds(20))
            .pollInterval(Duration.ofMillis(500))
            .until(() -> check("event-consumers"), c -> c != null && isDown(c));
    int downSamples = 0;
    while (System.nanoTime() - stoppedAt < OUTAGE.toNanos()) {
      JsonNode c = check("event-consumers");
      assertThat(c).as("event-consumers during the outage").isNotNull();
      assertThat(isDown(c)).as("event-consumers DOWN during the outage: %s", c).isTrue();
      assertThat(registry.isAlive()).isTrue();
      downSamples++;
      Thread.sleep(1000);
    }
    postgres.start();
    return new Outage(waiting, downSamples, (System.nanoTime() - stoppedAt) / 1e9);
  }

  private static String buildStatus(UUID id) throws Exception {
    List<String> rows =
        PipelineDriver.strings(
            postgres.jdbcUrl(), "select status from build where build_id = '" + id + "'");
    return rows.isEmpty() ? null : rows.get(0);
  }

  private static boolean isDown(JsonNode check) {
    return "DOWN".equals(check.path("status").asText());
  }

  /** One check of {@code /q/health/ready}, or null when the registry does not report it. */
  private static JsonNode check(String name) throws IOException, InterruptedException {
    HttpResponse<String> r =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(registry.baseUrl() + "/q/health/ready"))
                .timeout(Duration.ofSeconds(10))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    for (JsonNode c : JSON.readTree(r.body()).path("checks")) {
      if (name.equals(c.path("name").asText())) {
        return c;
      }
    }
    return null;
  }
}
