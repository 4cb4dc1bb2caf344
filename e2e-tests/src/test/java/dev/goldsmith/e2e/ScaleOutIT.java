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
import org.junit.jupiter.api.Test;

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
 */
class ScaleOutIT {
  private static final List<String> FAMILIES =
      List.of("scale-a", "scale-b", "scale-c", "scale-d", "scale-e");
  private static final Set<String> TERMINAL =
      Set.of("PROMOTED", "VERIFIED", "DEFECTIVE", "UNVERIFIED", "FAILED", "REJECTED");
  private static final Duration TIMEOUT = Duration.ofMinutes(20);

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
    env.put("STACK_KAFKA_PORT", System.getProperty("e2e.kafka.port", "49092"));
    env.put("STACK_PORT_BASE", System.getProperty("e2e.port.base", "28080"));
    env.put("STACK_DB", "goldsmith_e2e");
    env.put("STACK_HOSTS_INSTANCE", System.getProperty("e2e.hosts.instance", "6"));
    env.put("STACK_BUILD", "auto");
    env.put("STACK_REPLICAS", "2");
    env.put("STACK_FAMILIES_DIR", families.toString());
    env.put(
        "STACK_OPTS_REGISTRY",
        "-Dgoldsmith.registry.families.roles-dir=" + root.resolve("ansible/roles"));
    env.put(
        "STACK_OPTS_VERIFIER",
        "-Dgoldsmith.verifier.channel.deadline=20s -Dgoldsmith.verifier.max-attempts=2");
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
                Kill k = it.next();
                UUID inStage = inStage(last, k);
                if (inStage != null) {
                  killed.add(killInstanceWorkingOn(k, inStage, builds.get(inStage)));
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

  // ---------------------------------------------------------------------------------------------

  /** A build whose timeline has {@code after} and not yet {@code before}; null when none. */
  private static UUID inStage(Map<UUID, JsonNode> last, Kill k) {
    for (Map.Entry<UUID, JsonNode> e : last.entrySet()) {
      Set<String> events = new LinkedHashSet<>();
      e.getValue().get("timeline").forEach(t -> events.add(t.get("eventType").asText()));
      if (events.contains(k.after()) && !events.contains(k.before())) {
        return e.getKey();
      }
    }
    return null;
  }

  /**
   * Kills the instance of a service whose log names the build (the one its partition went to); the
   * second instance when neither log names it yet.
   */
  private static String killInstanceWorkingOn(Kill k, UUID build, String family) throws Exception {
    List<String> instances = List.of(k.service(), k.service() + "-2");
    String victim = null;
    for (String instance : instances) {
      if (Files.readString(stack.log(instance)).contains(build.toString())) {
        victim = instance;
        break;
      }
    }
    String why = victim != null ? "its log names build " + build : "no log names the build yet";
    if (victim == null) {
      victim = k.service() + "-2";
    }
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
