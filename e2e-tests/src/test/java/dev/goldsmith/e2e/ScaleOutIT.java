package dev.goldsmith.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import com.fasterxml.jackson.databind.JsonNode;

import dev.goldsmith.events.BuildRequested;
import dev.goldsmith.events.KafkaEvents;

/**
 * Scale-out (issue 15, item 6): two instances of every service in one consumer group each. Five
 * builds run at once, one per family (so each may be PROMOTED: in one family a later promotion
 * supersedes an earlier one), while one instance of each service is killed with SIGKILL, each at
 * another stage: the provisioner's while a builder is provisioned, the configurator's while it is
 * configured, the registry's while its snapshot is taken, the verifier's while it is verified. The
 * killed instance is the one whose log names the build in that stage. Expected: five PROMOTED
 * builds, exactly one snapshot per build, zero servers, nothing on the dead-letter topic.
 *
 * <p>The same stack (one stack start, for CI's time limit) then takes two outages: the emulator
 * answers 503 to every API request for 60 s while a build's snapshot is being taken, and the broker
 * is killed -9 and restarted 20 s later while a build is being configured. Expected: each build
 * PROMOTED, nothing on the dead-letter topic, zero servers.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ScaleOutIT {
  private static final List<String> FAMILIES =
      List.of("scale-a", "scale-b", "scale-c", "scale-d", "scale-e");
  private static final Set<String> TERMINAL =
      Set.of("PROMOTED", "VERIFIED", "DEFECTIVE", "UNVERIFIED", "FAILED", "REJECTED");
  private static final Duration TIMEOUT = Duration.ofMinutes(20);

  /** How long a stage may go without a log naming one of its builds before instance 2 is killed. */
  private static final Duration UNNAMED_GRACE = Duration.ofSeconds(15);

  /** The stage each service's instance is killed in: after the first event, before the second. */
  private record Kill(String service, String after, String before) {}

  private static final List<Kill> KILLS =
      List.of(
          new Kill("provisioner", "BUILD_ACCEPTED", "BUILDER_READY"),
          new Kill("configurator", "BUILDER_READY", "BUILDER_CONFIGURED"),
          new Kill("registry", "BUILDER_CONFIGURED", "SNAPSHOT_CREATED"),
          new Kill("verifier", "SNAPSHOT_CREATED", "VERIFICATION_FINISHED"));

  private static Stack stack;
  private static final Http http = new Http();
  private static final List<String> registries = new ArrayList<>();
  private static Instant started;

  @BeforeAll
  static void startStack() throws Exception {
    started = Instant.now();
    Path root = Stack.repoRoot();
    Path families = root.resolve(".local/e2e-scale-families");
    writeFamilies(root, families);
    Map<String, String> env = new LinkedHashMap<>();
    env.put("STACK_DIR", root.resolve(".local/e2e").toString());
    env.put("STACK_KAFKA_PORT", System.getProperty("e2e.kafka.port", "29092"));
    env.put("STACK_PORT_BASE", System.getProperty("e2e.port.base", "28080"));
    env.put("STACK_DB", "goldsmith_e2e");
    env.put("STACK_HOSTS_INSTANCE", System.getProperty("e2e.hosts.instance", "6"));
    env.put("STACK_BUILD", "auto");
    env.put("STACK_REPLICAS", "2");
    env.put("STACK_FAMILIES_DIR", families.toString());
    // a killed instance's partitions move once the broker misses its heartbeats: 10 s instead of
    // the default 45 s keeps the test short; the behaviour is the same
    String failover = "-Dkafka.session.timeout.ms=10000 -Dkafka.heartbeat.interval.ms=3000";
    env.put(
        "STACK_OPTS_REGISTRY",
        failover + " -Dgoldsmith.registry.families.roles-dir=" + root.resolve("ansible/roles"));
    env.put("STACK_OPTS_PROVISIONER", failover);
    env.put("STACK_OPTS_CONFIGURATOR", failover);
    env.put(
        "STACK_OPTS_VERIFIER",
        failover
            + " -Dgoldsmith.verifier.channel.deadline=20s -Dgoldsmith.verifier.max-attempts=2");
    stack = new Stack(root, env);
    stack.start();
    registries.addAll(List.of(stack.get("GOLDSMITH_REGISTRIES").split(",")));
    assertThat(registries).as("two registry instances").hasSize(2);
    System.out.printf(
        "e2e-scale: stack with two instances of every service ready after %.0f s%n",
        Duration.between(started, Instant.now()).toMillis() / 1000.0);
  }

  /** Five copies of vault-base, one per family; the registry reads only this directory. */
  private static void writeFamilies(Path root, Path dir) throws IOException {
    String base = Files.readString(root.resolve("ansible/families/vault-base.yml"));
    Files.createDirectories(dir);
    try (var old = Files.list(dir)) {
      for (Path p : old.toList()) {
        Files.delete(p);
      }
    }
    for (String family : FAMILIES) {
      String text = base.replace("name: vault-base", "name: " + family);
      assertThat(text).contains("name: " + family);
      Files.writeString(dir.resolve(family + ".yml"), text);
    }
  }

  @AfterAll
  static void stopStack() throws Exception {
    if (stack != null) {
      stack.close();
    }
    if (started != null) {
      System.out.printf(
          "e2e-scale: ScaleOutIT took %.0f s (stack start to stop)%n",
          Duration.between(started, Instant.now()).toMillis() / 1000.0);
    }
  }

  @Test
  @Order(1)
  void fiveBuildsSurviveAKillOfOneInstanceOfEveryService() throws Exception {
    Map<UUID, String> builds = new LinkedHashMap<>();
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.get("KAFKA_BOOTSTRAP_SERVERS"));
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    try (KafkaProducer<String, String> producer =
        new KafkaProducer<>(p, new StringSerializer(), new StringSerializer())) {
      for (String family : FAMILIES) {
        UUID id = UUID.randomUUID();
        builds.put(id, family);
        BuildRequested request =
            new BuildRequested(id, family, null, "ci/e2e-scale-" + family, Instant.now());
        producer.send(KafkaEvents.toRecord(request, "/goldsmith/ci")).get();
        System.out.printf("e2e-scale: %s: build %s requested%n", family, id);
      }
    }

    Map<UUID, JsonNode> last = new LinkedHashMap<>();
    List<Kill> pending = new ArrayList<>(KILLS);
    List<String> killed = new ArrayList<>();
    Map<String, Instant> stageSeen = new LinkedHashMap<>();
    await()
        .atMost(TIMEOUT)
        .pollInterval(Duration.ofMillis(500))
        .until(
            () -> {
              boolean allDone = true;
              for (UUID id : builds.keySet()) {
                Http.Response r = registry("/api/builds/" + id);
                if (r == null || r.status() != 200) {
                  allDone = false;
                  continue;
                }
                JsonNode prev = last.put(id, r.body());
                String status = r.body().at("/build/status").asText();
                if (prev == null || !status.equals(prev.at("/build/status").asText())) {
                  System.out.printf("e2e-scale: %s: %s%n", builds.get(id), status);
                }
                allDone &= TERMINAL.contains(status) && settled(r.body(), status);
              }
              for (var it = pending.iterator(); it.hasNext(); ) {
                String line = maybeKill(it.next(), last, builds, stageSeen);
                if (line != null) {
                  killed.add(line);
                  it.remove();
                }
              }
              return allDone;
            });
    System.out.println("e2e-scale: killed " + killed);
    assertThat(pending).as("every service had an instance killed during the builds").isEmpty();

    for (Map.Entry<UUID, String> b : builds.entrySet()) {
      JsonNode detail = last.get(b.getKey());
      String family = b.getValue();
      assertThat(detail.at("/build/status").asText())
          .as("%s: %s", family, detail.toPrettyString())
          .isEqualTo("PROMOTED");
      assertThat(detail.at("/build/verdict").asText()).isEqualTo("PASSED");
      long image = detail.at("/build/imageId").asLong();
      JsonNode promoted = registry("/api/families/" + family + "/promoted").body();
      assertThat(promoted.get("imageId").asLong()).as("%s promoted image", family).isEqualTo(image);
      JsonNode ofBuild =
          emulator(
                  "/v1/images?type=snapshot&per_page=50&label_selector=goldsmith.dev/build-id%3D"
                      + b.getKey())
              .body()
              .get("images");
      assertThat(ofBuild).as("%s: exactly one snapshot of the build", family).hasSize(1);
      assertThat(ofBuild.get(0).get("id").asLong()).isEqualTo(image);
      JsonNode ofFamily =
          emulator(
                  "/v1/images?type=snapshot&per_page=50&label_selector=goldsmith.dev/family%3D"
                      + family)
              .body()
              .get("images");
      assertThat(ofFamily).as("%s: one snapshot in the family", family).hasSize(1);
      assertThat(ofFamily.get(0).at("/protection/delete").asBoolean())
          .as("%s: promoted image protected", family)
          .isTrue();
    }
    await()
        .alias("no server left in the emulator")
        .atMost(Duration.ofMinutes(3))
        .pollInterval(Duration.ofSeconds(1))
        .until(() -> emulator("/v1/servers?per_page=50").body().get("servers").isEmpty());
    assertThat(deadLetters()).as("records on goldsmith.dead-letter").isZero();
    JsonNode counters =
        http.get(stack.get("GOLDSMITH_EMULATOR") + "/_emulator/counters", null).body();
    System.out.println("e2e-scale: Hetzner API calls " + counters.get("total").asLong());
    counters
        .get("by_endpoint")
        .fields()
        .forEachRemaining(
            e -> {
              if (e.getKey().contains("create_image")
                  || e.getKey().startsWith("POST /v1/servers")) {
                System.out.println("e2e-scale:   " + e.getKey() + " = " + e.getValue());
              }
            });
  }

  /**
   * Without the shared consumer policy (transient failure: not acked, retried in place) the
   * provisioner ends the build FAILED {@code api_error} within seconds of the outage (a 503 while
   * polling the create_image action).
   */
  @Test
  @Order(2)
  void aBuildSurvivesTheHetznerApiAnswering503ToEverythingForAMinuteMidSnapshot() throws Exception {
    String family = FAMILIES.get(0);
    UUID id = request(family, "e2e-outage");
    // mid-snapshot: configured, and its snapshot is on the API (being created or just available)
    awaitStage(
        id,
        b ->
            hasEvent(b, "BUILDER_CONFIGURED")
                && !hasEvent(b, "SNAPSHOT_CREATED")
                && !emulator(
                        "/v1/images?type=snapshot&label_selector=goldsmith.dev/build-id%3D" + id)
                    .body()
                    .get("images")
                    .isEmpty());
    Http.Response fault =
        http.post(stack.get("GOLDSMITH_EMULATOR") + "/_emulator/faults", null, Map.of());
    assertThat(fault.status()).as("fault accepted: %s", fault.body()).isEqualTo(201);
    assertThat(fault.body().get("status").asInt()).isEqualTo(503);
    String rule = fault.body().get("id").asText();
    Instant outage = Instant.now();
    System.out.printf(
        "e2e-outage: %s: the Hetzner API answers 503 to everything (%s)%n", family, rule);
    Thread.sleep(Duration.ofSeconds(60).toMillis());
    int lifted = delete(stack.get("GOLDSMITH_EMULATOR") + "/_emulator/faults/" + rule);
    assertThat(lifted).isEqualTo(204);
    JsonNode rules = http.get(stack.get("GOLDSMITH_EMULATOR") + "/_emulator/faults", null).body();
    System.out.printf(
        "e2e-outage: %s: fault lifted after %.0f s; status then %s%n",
        family,
        Duration.between(outage, Instant.now()).toMillis() / 1000.0,
        build(id).at("/build/status").asText());
    System.out.println("e2e-outage: fault rules after the outage " + rules);
    assertPromotedAndClean(id);
  }

  /**
   * The stack's broker killed with SIGKILL while a build is being configured (the playbook runs),
   * and started again 20 s later on the same data: the configurator's BuilderConfigured, the
   * registry's reads and the provisioner's wait all sit out the outage in place. Expected: the
   * build PROMOTED, one snapshot, zero servers, nothing on the dead-letter topic.
   */
  @Test
  @Order(3)
  void aBuildSurvivesTheBrokerKilledAndRestartedMidConfigure() throws Exception {
    String family = FAMILIES.get(1);
    UUID id = request(family, "e2e-broker");
    awaitStage(id, b -> hasEvent(b, "BUILDER_READY") && !hasEvent(b, "BUILDER_CONFIGURED"));
    long pid = stack.killBroker();
    Instant killed = Instant.now();
    System.out.printf(
        "e2e-broker: %s: broker (pid %d) killed -9 between BUILDER_READY and"
            + " BUILDER_CONFIGURED%n",
        family, pid);
    Thread.sleep(Duration.ofSeconds(20).toMillis());
    stack.startBroker();
    System.out.printf(
        "e2e-broker: %s: broker back after %.0f s; status then %s%n",
        family,
        Duration.between(killed, Instant.now()).toMillis() / 1000.0,
        build(id).at("/build/status").asText());
    assertPromotedAndClean(id);
  }

  /** Requests a build of the family; returns its id. */
  private static UUID request(String family, String tag) throws Exception {
    UUID id = UUID.randomUUID();
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.get("KAFKA_BOOTSTRAP_SERVERS"));
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    try (KafkaProducer<String, String> producer =
        new KafkaProducer<>(p, new StringSerializer(), new StringSerializer())) {
      BuildRequested request =
          new BuildRequested(id, family, null, "ci/" + tag + "-" + family, Instant.now());
      producer.send(KafkaEvents.toRecord(request, "/goldsmith/ci")).get();
    }
    System.out.printf("%s: %s: build %s requested%n", tag, family, id);
    return id;
  }

  private interface Stage {
    boolean reached(JsonNode build) throws Exception;
  }

  /** Waits until the build's detail shows the stage, failing when it ends before. */
  private static void awaitStage(UUID id, Stage stage) {
    await()
        .alias("build " + id + " in the stage")
        .atMost(TIMEOUT)
        .pollInterval(Duration.ofMillis(500))
        .until(
            () -> {
              JsonNode b = build(id);
              if (b == null) {
                return false;
              }
              String status = b.at("/build/status").asText();
              assertThat(TERMINAL).as("build %s ended before the stage", id).doesNotContain(status);
              return stage.reached(b);
            });
  }

  /** The build ends PROMOTED with exactly one snapshot; no server and no dead letter is left. */
  private static void assertPromotedAndClean(UUID id) throws Exception {
    java.util.concurrent.atomic.AtomicReference<JsonNode> seen =
        new java.util.concurrent.atomic.AtomicReference<>();
    await()
        .alias("build " + id + " finished")
        .atMost(TIMEOUT)
        .pollInterval(Duration.ofSeconds(1))
        .until(
            () -> {
              JsonNode b = build(id);
              seen.set(b);
              return b != null
                  && TERMINAL.contains(b.at("/build/status").asText())
                  && settled(b, b.at("/build/status").asText());
            });
    JsonNode b = seen.get();
    assertThat(b.at("/build/status").asText()).as(b.toPrettyString()).isEqualTo("PROMOTED");
    long image = b.at("/build/imageId").asLong();
    JsonNode ofBuild =
        emulator(
                "/v1/images?type=snapshot&per_page=50&label_selector=goldsmith.dev/build-id%3D"
                    + id)
            .body()
            .get("images");
    assertThat(ofBuild).as("exactly one snapshot of the build").hasSize(1);
    assertThat(ofBuild.get(0).get("id").asLong()).isEqualTo(image);
    await()
        .alias("no server left in the emulator")
        .atMost(Duration.ofMinutes(3))
        .pollInterval(Duration.ofSeconds(1))
        .until(() -> emulator("/v1/servers?per_page=50").body().get("servers").isEmpty());
    assertThat(deadLetters()).as("records on goldsmith.dead-letter").isZero();
  }

  // ---------------------------------------------------------------------------------------------

  /**
   * Kills one instance of the service when a build is in the kill's stage (its timeline has {@code
   * after} and not {@code before}): the instance whose log names that build (the one its partition
   * is assigned to), or, when no log has named a build in the stage for {@link #UNNAMED_GRACE}, the
   * second instance. Returns what was done, null when nothing yet.
   */
  private static String maybeKill(
      Kill k, Map<UUID, JsonNode> last, Map<UUID, String> builds, Map<String, Instant> stageSeen)
      throws Exception {
    List<UUID> inStage = new ArrayList<>();
    for (Map.Entry<UUID, JsonNode> e : last.entrySet()) {
      Set<String> events = new LinkedHashSet<>();
      e.getValue().get("timeline").forEach(t -> events.add(t.get("eventType").asText()));
      if (events.contains(k.after()) && !events.contains(k.before())) {
        inStage.add(e.getKey());
      }
    }
    if (inStage.isEmpty()) {
      return null;
    }
    Instant firstSeen = stageSeen.computeIfAbsent(k.service(), s -> Instant.now());
    for (UUID build : inStage) {
      for (String instance : List.of(k.service(), k.service() + "-2")) {
        if (Files.readString(stack.log(instance)).contains(build.toString())) {
          return kill(k, instance, builds.get(build), "its log names build " + build);
        }
      }
    }
    if (Duration.between(firstSeen, Instant.now()).compareTo(UNNAMED_GRACE) < 0) {
      return null;
    }
    return kill(
        k, k.service() + "-2", builds.get(inStage.get(0)), "no log named a build in the stage");
  }

  private static String kill(Kill k, String victim, String family, String why) throws Exception {
    long pid = stack.pid(victim);
    stack.kill9(victim);
    if (k.service().equals("registry")) {
      // GOLDSMITH_REGISTRIES lists registry, registry-2
      registries.remove(
          stack.get("GOLDSMITH_REGISTRIES").split(",")[victim.equals("registry") ? 0 : 1]);
    }
    String line =
        String.format(
            "%s (pid %d) killed -9 while %s was between %s and %s (%s)",
            victim, pid, family, k.after(), k.before(), why);
    System.out.println("e2e-scale: " + line);
    return line;
  }

  private static JsonNode build(UUID id) throws Exception {
    Http.Response r = registry("/api/builds/" + id);
    return r != null && r.status() == 200 ? r.body() : null;
  }

  private static boolean hasEvent(JsonNode build, String type) {
    for (JsonNode e : build.get("timeline")) {
      if (e.get("eventType").asText().equals(type)) {
        return true;
      }
    }
    return false;
  }

  private static int delete(String url) throws Exception {
    return java.net.http.HttpClient.newHttpClient()
        .send(
            java.net.http.HttpRequest.newBuilder(java.net.URI.create(url)).DELETE().build(),
            java.net.http.HttpResponse.BodyHandlers.discarding())
        .statusCode();
  }

  /** A promoted build is finished once ImagePromoted is in its timeline. */
  private static boolean settled(JsonNode detail, String status) {
    if (!status.equals("PROMOTED")) {
      return true;
    }
    for (JsonNode e : detail.get("timeline")) {
      if (e.get("eventType").asText().equals("IMAGE_PROMOTED")) {
        return true;
      }
    }
    return false;
  }

  /** Records on the dead-letter topic (the stack's broker is fresh: every record is this run's). */
  private static long deadLetters() {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.get("KAFKA_BOOTSTRAP_SERVERS"));
    try (KafkaConsumer<String, String> c =
        new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer())) {
      List<PartitionInfo> parts = c.partitionsFor("goldsmith.dead-letter", Duration.ofSeconds(30));
      if (parts == null || parts.isEmpty()) {
        return 0;
      }
      List<TopicPartition> tps =
          parts.stream().map(i -> new TopicPartition(i.topic(), i.partition())).toList();
      Map<TopicPartition, Long> begin = c.beginningOffsets(tps);
      return c.endOffsets(tps).entrySet().stream()
          .mapToLong(e -> e.getValue() - begin.get(e.getKey()))
          .sum();
    }
  }

  /** Asks the registry instances still alive, in order; null when none answers. */
  private static Http.Response registry(String path) throws Exception {
    for (String base : registries) {
      try {
        return http.get(base + path, null);
      } catch (IOException e) {
        // this instance is gone or restarting: ask the next one
      }
    }
    return null;
  }

  private static Http.Response emulator(String path) throws Exception {
    String base = stack.get("HCLOUD_ENDPOINT").replaceAll("/v1$", "");
    return http.get(base + path, stack.get("HCLOUD_TOKEN"));
  }
}
