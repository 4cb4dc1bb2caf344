package dev.goldsmith.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import com.fasterxml.jackson.databind.JsonNode;

import dev.goldsmith.events.BuildOverrides;
import dev.goldsmith.events.BuildRequested;
import dev.goldsmith.events.KafkaEvents;
import dev.goldsmith.events.NetworkMode;
import dev.goldsmith.events.Topics;
import dev.goldsmith.testkit.HeadlessChromium;

/**
 * The seed's story, end to end, on real local hosts: every service is its own process, every server
 * a real Linux host of the emulator, Kafka and PostgreSQL real. One family, five builds in order;
 * each step relies on the state the previous one left.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class StoryIT {
  private static final String FAMILY = "vault-base";
  private static final Set<String> TERMINAL =
      Set.of("PROMOTED", "VERIFIED", "DEFECTIVE", "UNVERIFIED", "FAILED", "REJECTED");
  private static final Duration BUILD_TIMEOUT = Duration.ofMinutes(12);

  private static Stack stack;
  private static final Http http = new Http();
  private static KafkaProducer<String, String> producer;
  private static final List<String> timings = new ArrayList<>();
  private static final Map<String, Long> imageOf = new LinkedHashMap<>();
  private static final Map<String, UUID> idOf = new LinkedHashMap<>();

  @BeforeAll
  static void startStack() throws Exception {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("STACK_DIR", Stack.repoRoot().resolve(".local/e2e").toString());
    env.put("STACK_KAFKA_PORT", System.getProperty("e2e.kafka.port", "29092"));
    env.put("STACK_PORT_BASE", System.getProperty("e2e.port.base", "28080"));
    env.put("STACK_DB", "goldsmith_e2e");
    env.put("STACK_HOSTS_INSTANCE", System.getProperty("e2e.hosts.instance", "6"));
    env.put("STACK_BUILD", "auto");
    // observability: the services log JSON lines, which theirLogsAreJsonAndEveryLineAboutABuild…
    // reads
    env.put("STACK_LOG_JSON", "true");
    // an unreachable test server is retried with fresh servers; shorter waits keep the story quick
    env.put(
        "STACK_OPTS_VERIFIER",
        "-Dgoldsmith.verifier.channel.deadline=20s -Dgoldsmith.verifier.max-attempts=2");
    stack = new Stack(Stack.repoRoot(), env);
    stack.start();
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.get("KAFKA_BOOTSTRAP_SERVERS"));
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    producer = new KafkaProducer<>(p, new StringSerializer(), new StringSerializer());
  }

  @AfterAll
  static void stopStack() throws Exception {
    System.out.println();
    System.out.println("== end-to-end timings (seconds) and Hetzner API calls per build ==");
    timings.forEach(System.out::println);
    if (producer != null) {
      producer.close();
    }
    if (stack != null) {
      stack.close();
    }
  }

  @Test
  @Order(1)
  void aBinaryVisibleToRootOnlyIsAnArtifactDefectAndItsSnapshotIsDeleted() throws Exception {
    Map<String, Object> defect =
        Map.of(
            "publish_binaries_items",
            List.of(Map.of("name", "vault-preflight", "src", "vault-preflight", "mode", "0700")));
    JsonNode build =
        runBuild("v1-root-only", new BuildOverrides(null, null, null, null, null, defect));
    assertThat(build.at("/build/status").asText()).isEqualTo("DEFECTIVE");
    assertThat(build.at("/build/verdict").asText()).isEqualTo("ARTIFACT_DEFECT");
    JsonNode failing = failingCells(build);
    assertThat(failing).as("the report names admin and vault-preflight").isNotEmpty();
    assertThat(failing)
        .allSatisfy(
            cell -> {
              assertThat(cell.get("user").asText()).isEqualTo("admin");
              assertThat(cell.get("binary").asText()).isEqualTo("vault-preflight");
            });
    long image = build.at("/build/imageId").asLong();
    awaitImageGone(image);
    Http.Response manifest =
        registry("/api/builds/" + build.at("/build/buildId").asText() + "/manifest");
    assertThat(manifest.status()).as("a defective build has no manifest").isEqualTo(409);
  }

  @Test
  @Order(2)
  void theFixedBuildPassesAndIsPromotedAndProtected() throws Exception {
    JsonNode build = runBuild("v2", null);
    assertPromoted(build, "ipv4");
  }

  @Test
  @Order(3)
  void theNextBuildIsPromotedAndThePreviousSnapshotDeleted() throws Exception {
    JsonNode build = runBuild("v3", null);
    assertPromoted(build, "ipv4");
    awaitImageGone(imageOf.get("v2"));
  }

  @Test
  @Order(4)
  void aDroppedIpv6PathInIpv6ModeIsAChannelFailureAndTheImageIsKept() throws Exception {
    UUID id = UUID.randomUUID();
    // every test server of this build loses its IPv6 path, at the network level
    Http.Response fault =
        http.post(
            stack.get("GOLDSMITH_EMULATOR") + "/_emulator/server-faults",
            null,
            Map.of(
                "type",
                "ipv6_drop",
                "label_selector",
                "goldsmith.dev/build-id=" + id + ",goldsmith.dev/role=test"));
    assertThat(fault.status()).as("server fault accepted: %s", fault.body()).isBetween(200, 201);
    JsonNode build =
        runBuild(
            "v4-ipv6-dropped",
            id,
            new BuildOverrides(null, null, null, null, NetworkMode.IPV6, null));
    assertThat(build.at("/build/verdict").asText()).isEqualTo("CHANNEL_FAILURE");
    assertThat(build.at("/build/status").asText()).isEqualTo("UNVERIFIED");
    long image = build.at("/build/imageId").asLong();
    Http.Response img = emulator("/v1/images/" + image);
    assertThat(img.status()).as("the image is not rejected: its snapshot stays").isEqualTo(200);
    JsonNode version =
        registry("/api/families/" + FAMILY + "/versions/" + build.at("/build/version").asText())
            .body();
    assertThat(version.get("status").asText()).isEqualTo("UNVERIFIED");
  }

  @Test
  @Order(5)
  void anIpv6ModeBuildPassesOverIpv6AndCleansUpEverySupersededSnapshot() throws Exception {
    JsonNode build =
        runBuild("v5-ipv6", new BuildOverrides(null, null, null, null, NetworkMode.IPV6, null));
    assertPromoted(build, "ipv6");
    awaitImageGone(imageOf.get("v3"));
    awaitImageGone(imageOf.get("v4-ipv6-dropped"));
  }

  @Test
  @Order(6)
  void noServerIsLeftAndOnlyThePromotedSnapshotOfTheFamilyRemains() throws Exception {
    await()
        .alias("no server left in the emulator")
        .atMost(Duration.ofMinutes(2))
        .pollInterval(Duration.ofSeconds(1))
        .until(() -> emulator("/v1/servers?per_page=50").body().get("servers").isEmpty());
    JsonNode snapshots =
        emulator(
                "/v1/images?type=snapshot&per_page=50&label_selector=goldsmith.dev/family%3D"
                    + FAMILY)
            .body()
            .get("images");
    assertThat(snapshots).hasSize(1);
    assertThat(snapshots.get(0).get("id").asLong()).isEqualTo(imageOf.get("v5-ipv6"));
    JsonNode promoted = registry("/api/families/" + FAMILY + "/promoted").body();
    assertThat(promoted.get("imageId").asLong()).isEqualTo(imageOf.get("v5-ipv6"));
  }

  @Test
  @Order(7)
  void everyEventOfABuildOnEveryTopicCarriesTheSameTraceId() throws Exception {
    // The request comes from CI without a trace context: the registry's intake starts the trace.
    for (String label : List.of("v2", "v4-ipv6-dropped")) {
      UUID id = idOf.get(label);
      Map<String, List<ConsumerRecord<String, String>>> byTopic = recordsOf(id);
      Set<String> expected =
          Set.of(
              Topics.BUILD_ACCEPTED,
              Topics.BUILDER_READY,
              Topics.BUILDER_CONFIGURED,
              Topics.SNAPSHOT_CREATED,
              Topics.IMAGE_VERIFIED);
      assertThat(byTopic.keySet()).as("topics with events of %s", label).containsAll(expected);
      Set<String> traceIds = new java.util.TreeSet<>();
      byTopic.forEach(
          (topic, records) -> {
            if (topic.equals(Topics.BUILD_REQUESTED) || topic.equals(Topics.DEAD_LETTER)) {
              return;
            }
            for (ConsumerRecord<String, String> r : records) {
              Header h = r.headers().lastHeader("traceparent");
              assertThat(h).as("traceparent of %s@%d on %s", label, r.offset(), topic).isNotNull();
              String tp = new String(h.value(), StandardCharsets.UTF_8);
              assertThat(tp).matches("00-[0-9a-f]{32}-[0-9a-f]{16}-0[01]");
              traceIds.add(topic + " " + tp.substring(3, 35));
            }
          });
      assertThat(traceIds.stream().map(t -> t.substring(t.indexOf(' ') + 1)).distinct())
          .as("one trace id for every event of %s: %s", label, traceIds)
          .hasSize(1);
    }
    assertThat(recordsOf(idOf.get("v2"))).containsKey(Topics.IMAGE_PROMOTED);
  }

  @Test
  @Order(8)
  void everyServiceLogsJsonAndEveryLineAboutTheBuildCarriesItsIdInTheMdc() throws Exception {
    com.fasterxml.jackson.databind.ObjectMapper json =
        new com.fasterxml.jackson.databind.ObjectMapper();
    String id = idOf.get("v2").toString();
    Set<String> otherBuilds = new java.util.HashSet<>();
    idOf.values().forEach(u -> otherBuilds.add(u.toString()));
    otherBuilds.remove(id);
    for (String service : List.of("registry", "provisioner", "configurator", "verifier")) {
      List<String> lines = java.nio.file.Files.readAllLines(stack.log(service));
      int parsed = 0;
      List<String> notJson = new ArrayList<>();
      List<String> withoutMdc = new ArrayList<>();
      int aboutBuild = 0;
      int withId = 0;
      for (String line : lines) {
        if (line.isBlank()) {
          continue;
        }
        if (!line.startsWith("{")) {
          notJson.add(line);
          continue;
        }
        JsonNode n = json.readTree(line);
        parsed++;
        assertThat(n.hasNonNull("message")).as("%s: %s", service, line).isTrue();
        assertThat(n.hasNonNull("level")).as("%s: %s", service, line).isTrue();
        if (n.get("message").asText().contains(id)) {
          aboutBuild++;
          String mdc = n.at("/mdc/buildId").asText();
          if (id.equals(mdc)) {
            withId++;
          }
          // a line of another build's work may name this one (v3's promotion supersedes v2)
          if (!id.equals(mdc) && !otherBuilds.contains(mdc)) {
            withoutMdc.add(line);
          }
        }
      }
      assertThat(notJson)
          .as("%s: lines that are not JSON (the JVM's own may come before logging starts)", service)
          .allMatch(l -> !l.matches("^\\d\\d:\\d\\d:\\d\\d.*"));
      assertThat(parsed).as("%s: JSON lines", service).isGreaterThan(10);
      assertThat(aboutBuild).as("%s: lines about build %s", service, id).isPositive();
      assertThat(withId).as("%s: lines with mdc.buildId %s", service, id).isPositive();
      assertThat(withoutMdc).as("%s: lines about the build without mdc.buildId", service).isEmpty();
    }
  }

  @Test
  @Order(9)
  void metricsCountFinishedBuildsHetznerRequestsAndTheRateBudgetInEveryService() throws Exception {
    String registryMetrics = metrics(stack.get("GOLDSMITH_REGISTRY"));
    assertThat(registryMetrics)
        .contains("goldsmith_builds_finished_total{family=\"" + FAMILY + "\",outcome=\"promoted\"}")
        .contains(
            "goldsmith_builds_finished_total{family=\"" + FAMILY + "\",outcome=\"defective\"}")
        .contains("goldsmith_build_duration_seconds_bucket{family=\"" + FAMILY + "\"");
    int base = Integer.parseInt(System.getProperty("e2e.port.base", "28080"));
    Map<String, Integer> ports =
        Map.of(
            "registry-service", base + 1,
            "provisioner-service", base + 2,
            "configurator-service", base + 3,
            "verifier-service", base + 4);
    for (Map.Entry<String, Integer> e : ports.entrySet()) {
      String text = metrics("http://127.0.0.1:" + e.getValue());
      assertThat(text)
          .as("%s counts its Hetzner requests by operation template", e.getKey())
          .containsPattern(
              "hcloud_api_requests_total\\{operation=\"(GET|POST|PUT|DELETE) /[a-z_]+[^\"0-9]*\","
                  + "service=\""
                  + e.getKey()
                  + "\",status=\"2\\d\\d\"\\} [1-9]");
      assertThat(text)
          .as("%s has the rate budget gauge", e.getKey())
          .contains("hcloud_ratelimit_remaining{");
    }
    assertThat(metrics("http://127.0.0.1:" + (base + 2)))
        .contains("operation=\"POST /servers/{id}/actions/shutdown\"");
  }

  @Test
  @Order(10)
  void theWebViewShowsTheStoryInAHeadlessBrowser() throws Exception {
    HeadlessChromium chromium = HeadlessChromium.require(Path.of("target"));
    Path shots = Path.of("target", "screenshots");
    String ui = stack.get("GOLDSMITH_REGISTRY") + "/ui";

    Document list =
        chromium.load(ui + "/builds?family=" + FAMILY, shots.resolve("story-builds.png"));
    assertThat(list.select("#builds tbody tr").eachAttr("data-build-id"))
        .as("every build of the story is listed")
        .containsAll(idOf.values().stream().map(UUID::toString).toList());
    Map<String, String> statusOf = new LinkedHashMap<>();
    idOf.forEach(
        (label, id) ->
            statusOf.put(
                label,
                list.selectFirst("#builds tr[data-build-id=" + id + "]")
                    .select("td.status")
                    .text()));
    assertThat(statusOf)
        .containsEntry("v1-root-only", "DEFECTIVE")
        .containsEntry("v4-ipv6-dropped", "UNVERIFIED")
        .containsEntry("v5-ipv6", "PROMOTED");

    // The defective build: admin's failing cell shows what the verifier saw.
    Document defective =
        chromium.load(
            ui + "/builds/" + idOf.get("v1-root-only"), shots.resolve("story-build-defective.png"));
    assertThat(defective.select("#status").text()).isEqualTo("DEFECTIVE");
    assertThat(defective.select("#verdict").text()).startsWith("ARTIFACT_DEFECT");
    Element cell =
        defective.selectFirst("#matrix td[data-user=admin][data-binary=vault-preflight]");
    assertThat(cell).as("admin × vault-preflight cell").isNotNull();
    assertThat(cell.hasClass("cell-fail")).isTrue();
    assertThat(cell.select("pre.output").text()).isNotBlank();
    assertThat(defective.select("#matrix td[data-user=root][data-binary=vault-preflight]"))
        .as("root runs it")
        .allSatisfy(c -> assertThat(c.attr("data-ok")).isEqualTo("true"));

    // The promoted build: every cell passed, the stages drawn in the order they ran.
    Document promoted =
        chromium.load(ui + "/builds/" + idOf.get("v5-ipv6"), shots.resolve("story-build.png"));
    assertThat(promoted.select("#status").text()).isEqualTo("PROMOTED");
    assertThat(promoted.select("#verdict").text()).startsWith("PASSED over ipv6");
    assertThat(promoted.select("#matrix td[data-ok=false]")).isEmpty();
    assertThat(promoted.select("#matrix td[data-ok=true]")).hasSizeGreaterThanOrEqualTo(10);
    assertThat(promoted.select("#timeline .row").eachAttr("data-event-type"))
        .startsWith("BUILD_ACCEPTED", "BUILDER_READY", "BUILDER_CONFIGURED", "SNAPSHOT_CREATED");
    assertThat(promoted.select("#events tbody tr").eachAttr("data-event-type"))
        .startsWith("BUILD_REQUESTED", "BUILD_ACCEPTED", "BUILDER_READY")
        .contains("VERIFICATION_FINISHED", "IMAGE_PROMOTED");

    // The family: the promoted version and the history of the story.
    JsonNode current = registry("/api/families/" + FAMILY + "/promoted").body();
    Document family = chromium.load(ui + "/families/" + FAMILY, shots.resolve("story-family.png"));
    assertThat(family.select("#promoted-version").text())
        .isEqualTo(current.get("version").asText());
    assertThat(family.select("#promoted-image").text())
        .isEqualTo(Long.toString(imageOf.get("v5-ipv6")));
    assertThat(family.select("#history tbody tr").eachAttr("data-status"))
        .contains("PROMOTED", "REJECTED");
  }

  // ---------------------------------------------------------------------------------------------

  /** Every record of the build on every topic of the stack's broker, by topic. */
  private static Map<String, List<ConsumerRecord<String, String>>> recordsOf(UUID id) {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.get("KAFKA_BOOTSTRAP_SERVERS"));
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    Map<String, List<ConsumerRecord<String, String>>> found = new java.util.TreeMap<>();
    try (KafkaConsumer<String, String> c =
        new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer())) {
      List<TopicPartition> parts = new ArrayList<>();
      for (String topic : Topics.ALL) {
        c.partitionsFor(topic, Duration.ofSeconds(30))
            .forEach(i -> parts.add(new TopicPartition(topic, i.partition())));
      }
      c.assign(parts);
      c.seekToBeginning(parts);
      Map<TopicPartition, Long> end = c.endOffsets(parts, Duration.ofSeconds(30));
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (parts.stream().anyMatch(tp -> c.position(tp) < end.get(tp))
          && System.nanoTime() < deadline) {
        for (ConsumerRecord<String, String> r : c.poll(Duration.ofMillis(500))) {
          if (id.toString().equals(r.key())) {
            found.computeIfAbsent(r.topic(), t -> new ArrayList<>()).add(r);
          }
        }
      }
    }
    return found;
  }

  private static String metrics(String base) throws Exception {
    java.net.http.HttpResponse<String> r =
        java.net.http.HttpClient.newHttpClient()
            .send(
                java.net.http.HttpRequest.newBuilder(java.net.URI.create(base + "/q/metrics"))
                    .timeout(Duration.ofSeconds(10))
                    .build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as("GET %s/q/metrics", base).isEqualTo(200);
    return r.body();
  }

  private JsonNode runBuild(String label, BuildOverrides overrides) throws Exception {
    return runBuild(label, UUID.randomUUID(), overrides);
  }

  /** Publishes a request as CI does, waits for a terminal status, records timings. */
  private JsonNode runBuild(String label, UUID id, BuildOverrides overrides) throws Exception {
    long callsBefore = apiCalls();
    idOf.put(label, id);
    BuildRequested request =
        new BuildRequested(id, FAMILY, overrides, "ci/e2e-" + label, Instant.now());
    producer.send(KafkaEvents.toRecord(request, "/goldsmith/ci")).get();
    System.out.printf("e2e: %s: build %s requested%n", label, id);
    java.util.concurrent.atomic.AtomicReference<JsonNode> seen =
        new java.util.concurrent.atomic.AtomicReference<>();
    java.util.concurrent.atomic.AtomicReference<String> last =
        new java.util.concurrent.atomic.AtomicReference<>("");
    await()
        .atMost(BUILD_TIMEOUT)
        .pollInterval(Duration.ofSeconds(1))
        .until(
            () -> {
              Http.Response r = registry("/api/builds/" + id);
              if (r.status() != 200) {
                return false;
              }
              seen.set(r.body());
              String status = r.body().at("/build/status").asText();
              if (!status.equals(last.getAndSet(status))) {
                System.out.printf("e2e: %s: %s%n", label, status);
              }
              return TERMINAL.contains(status) && settled(r.body(), status);
            });
    JsonNode detail = seen.get();
    assertThat(detail).as("build %s known to the registry", id).isNotNull();
    assertThat(TERMINAL)
        .as("build %s finished in time", label)
        .contains(detail.at("/build/status").asText());
    if (detail.at("/build/imageId").isNumber()) {
      imageOf.put(label, detail.at("/build/imageId").asLong());
    }
    timings.add(timingLine(label, detail, apiCalls() - callsBefore));
    return detail;
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

  private void assertPromoted(JsonNode build, String family) throws Exception {
    assertThat(build.at("/build/status").asText()).as(build.toPrettyString()).isEqualTo("PROMOTED");
    assertThat(build.at("/build/verdict").asText()).isEqualTo("PASSED");
    long image = build.at("/build/imageId").asLong();
    JsonNode verified = event(build, "VERIFICATION_FINISHED");
    assertThat(verified.get("addressFamily").asText()).isEqualTo(family);
    JsonNode cells = verified.at("/report/binaries");
    assertThat(cells).isNotEmpty();
    assertThat(cells)
        .allSatisfy(c -> assertThat(c.get("ok").asBoolean()).as(c.toString()).isTrue());
    assertThat(cells).anySatisfy(c -> assertThat(c.get("user").asText()).isEqualTo("root"));
    assertThat(cells).anySatisfy(c -> assertThat(c.get("user").asText()).isEqualTo("admin"));
    JsonNode img = emulator("/v1/images/" + image).body().get("image");
    assertThat(img.at("/labels/goldsmith.dev~1promoted").asText()).isEqualTo("true");
    assertThat(img.at("/protection/delete").asBoolean()).as("promoted image protected").isTrue();
    JsonNode promoted = registry("/api/families/" + FAMILY + "/promoted").body();
    assertThat(promoted.get("imageId").asLong()).isEqualTo(image);
    assertThat(promoted.get("version").asText()).isEqualTo(build.at("/build/version").asText());
    assertManifest(build, img, verified);
  }

  /**
   * The build's manifest (Packer's shape) names the snapshot and carries the provenance the
   * snapshot's labels carry: source image, server type, location, ansible revision, the digests of
   * the roles (recomputed here from the ansible/ tree the stack ran), the vars and the report
   * (recomputed from the VerificationFinished on the timeline).
   */
  private void assertManifest(JsonNode build, JsonNode img, JsonNode verified) throws Exception {
    String id = build.at("/build/buildId").asText();
    Http.Response r = registry("/api/builds/" + id + "/manifest");
    assertThat(r.status()).as(String.valueOf(r.body())).isEqualTo(200);
    JsonNode m = r.body();
    assertThat(m.get("last_run_uuid").asText()).isEqualTo(id);
    assertThat(m.get("builds")).hasSize(1);
    JsonNode b = m.get("builds").get(0);
    assertThat(b.get("builder_type").asText()).isEqualTo("hcloud");
    assertThat(b.get("artifact_id").asText()).isEqualTo(img.get("id").asText());
    assertThat(b.get("packer_run_uuid").asText()).isEqualTo(id);
    assertThat(b.get("build_time").isIntegralNumber()).isTrue();
    assertThat(b.has("files")).isTrue();
    JsonNode data = b.get("custom_data");
    JsonNode labels = img.get("labels");
    String label = "goldsmith.dev/";
    assertThat(data.get("source_image_id").asText())
        .isEqualTo(labels.get(label + "base-image").asText());
    assertThat(data.get("source_image_name").asText())
        .isEqualTo(labels.get(label + "source-image").asText())
        .isEqualTo("debian-12");
    assertThat(data.get("server_type").asText())
        .isEqualTo(labels.get(label + "server-type").asText());
    assertThat(data.get("location").asText()).isEqualTo(labels.get(label + "location").asText());
    String rev = data.get("ansible_revision").asText();
    assertThat(rev).matches(dev.goldsmith.events.Patterns.GIT_REVISION);
    String shortRev =
        rev.equals("unknown")
            ? "unknown"
            : rev.substring(0, 12)
                + ("true".equals(data.path("ansible_dirty").asText()) ? "-dirty" : "");
    assertThat(labels.get(label + "ansible-rev").asText()).isEqualTo(shortRev);
    for (String[] digest :
        new String[][] {
          {"roles_sha256", "roles-sha256"},
          {"extra_vars_sha256", "vars-sha256"},
          {"report_sha256", "report-sha256"}
        }) {
      String full = data.get(digest[0]).asText();
      assertThat(full).as(digest[0]).matches(dev.goldsmith.events.Patterns.SHA256);
      assertThat(labels.get(label + digest[1]).asText()).isEqualTo(full.substring(0, 63));
    }
    assertThat(data.get("roles_sha256").asText()).isEqualTo(rolesDigest());
    var report =
        dev.goldsmith.events.EventCodec.mapper()
            .treeToValue(verified.get("report"), dev.goldsmith.events.VerificationReport.class);
    assertThat(data.get("report_sha256").asText())
        .isEqualTo(dev.goldsmith.events.Digests.sha256OfJson(report));
  }

  /** The roles digest of the repository's ansible/ tree: golden-image.yml and its roles' files. */
  private static String rolesDigest() throws java.io.IOException {
    java.nio.file.Path ansible = Stack.repoRoot().resolve("ansible");
    java.nio.file.Path playbook = ansible.resolve("golden-image.yml");
    List<java.nio.file.Path> files = new ArrayList<>(List.of(playbook));
    java.util.regex.Matcher roles =
        java.util.regex.Pattern.compile("- role: ([A-Za-z0-9_]+)")
            .matcher(java.nio.file.Files.readString(playbook));
    while (roles.find()) {
      try (var walk = java.nio.file.Files.walk(ansible.resolve("roles").resolve(roles.group(1)))) {
        walk.filter(java.nio.file.Files::isRegularFile).forEach(files::add);
      }
    }
    assertThat(files.size()).as("the playbook names its roles").isGreaterThan(5);
    return dev.goldsmith.events.Digests.files(ansible, files);
  }

  private static JsonNode failingCells(JsonNode build) {
    JsonNode report = event(build, "VERIFICATION_FINISHED").at("/report/binaries");
    List<JsonNode> failing = new ArrayList<>();
    report.forEach(
        c -> {
          if (!c.get("ok").asBoolean()) {
            failing.add(c);
          }
        });
    return new com.fasterxml.jackson.databind.ObjectMapper().valueToTree(failing);
  }

  private static JsonNode event(JsonNode build, String type) {
    JsonNode found = null;
    for (JsonNode e : build.get("timeline")) {
      if (e.get("eventType").asText().equals(type)) {
        found = e.get("event");
      }
    }
    assertThat(found).as("%s in the timeline", type).isNotNull();
    return found;
  }

  private void awaitImageGone(long image) throws Exception {
    await()
        .alias("image " + image + " deleted")
        .atMost(Duration.ofMinutes(2))
        .pollInterval(Duration.ofSeconds(1))
        .until(() -> emulator("/v1/images/" + image).status() == 404);
  }

  private static String timingLine(String label, JsonNode detail, long calls) {
    Map<String, Instant> at = new LinkedHashMap<>();
    for (JsonNode e : detail.get("timeline")) {
      at.putIfAbsent(e.get("eventType").asText(), Instant.parse(e.get("occurredAt").asText()));
    }
    return String.format(
        "%-18s %-10s provision=%s configure=%s snapshot=%s verify=%s promote=%s api_calls=%d",
        label,
        detail.at("/build/status").asText(),
        span(at, "BUILD_ACCEPTED", "BUILDER_READY"),
        span(at, "BUILDER_READY", "BUILDER_CONFIGURED"),
        span(at, "BUILDER_CONFIGURED", "SNAPSHOT_CREATED"),
        span(at, "SNAPSHOT_CREATED", "VERIFICATION_FINISHED"),
        span(at, "VERIFICATION_FINISHED", "IMAGE_PROMOTED"),
        calls);
  }

  private static String span(Map<String, Instant> at, String from, String to) {
    Instant a = at.get(from);
    Instant b = at.get(to);
    return a == null || b == null
        ? "-"
        : String.format("%.1f", Duration.between(a, b).toMillis() / 1000.0);
  }

  private long apiCalls() throws Exception {
    return emulatorControl("/_emulator/counters").body().get("total").asLong();
  }

  private Http.Response registry(String path) throws Exception {
    return http.get(stack.get("GOLDSMITH_REGISTRY") + path, null);
  }

  private Http.Response emulator(String path) throws Exception {
    String base = stack.get("HCLOUD_ENDPOINT").replaceAll("/v1$", "");
    return http.get(base + path, stack.get("HCLOUD_TOKEN"));
  }

  private Http.Response emulatorControl(String path) throws Exception {
    return http.get(stack.get("GOLDSMITH_EMULATOR") + path, null);
  }
}
