package dev.goldsmith.registry.web;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;

import java.net.URL;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

import dev.goldsmith.events.BuildAccepted;
import dev.goldsmith.events.BuildRequested;
import dev.goldsmith.events.BuildSpec;
import dev.goldsmith.events.BuilderConfigured;
import dev.goldsmith.events.BuilderReady;
import dev.goldsmith.events.EventCodec;
import dev.goldsmith.events.EventType;
import dev.goldsmith.events.PipelineEvent;
import dev.goldsmith.events.SnapshotCreated;
import dev.goldsmith.events.Verdict;
import dev.goldsmith.events.VerificationFinished;
import dev.goldsmith.events.VerificationReport;
import dev.goldsmith.events.VerificationReport.AccessResult;
import dev.goldsmith.events.VerificationReport.BinaryResult;
import dev.goldsmith.events.VerificationReport.CheckResult;
import dev.goldsmith.hcloud.model.CreateImageRequest;
import dev.goldsmith.hcloud.model.CreateServerRequest;
import dev.goldsmith.hcloud.model.CreateServerResult;
import dev.goldsmith.hcloud.model.ImageStatus;
import dev.goldsmith.registry.RegistryTestSupport;
import dev.goldsmith.registry.domain.CloudTask;
import dev.goldsmith.registry.domain.CloudTaskRepository;
import dev.goldsmith.testkit.HeadlessChromium;
import dev.goldsmith.testkit.KafkaTestSupport;

/**
 * The web view in a real browser: three builds of family {@code reg-web} go through the registry
 * the way a story build does (every event over the broker): v1 passes and is promoted, v2 fails the
 * matrix (artifact defect), v3 passes and is promoted, an operator rolls back to v1 and revokes v3
 * with a reason holding markup. Headless Chromium then loads the builds list, both builds and the
 * family; the test asserts on the DOM it rendered and saves a screenshot of each page under {@code
 * target/screenshots/}.
 */
@QuarkusTest
class WebViewIT extends RegistryTestSupport {
  private static final String FAMILY = "reg-web";
  private static final String ADMIN = "Bearer test-admin-token";
  private static final String HOST_KEY =
      "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIDbjAa9kqxzfxropLPkFPAo0nzm0sSk7KTtaKYR1fHFq";
  private static final List<String> USERS = List.of("root", "admin");
  private static final List<String> BINARIES =
      List.of("podman", "python3", "curl", "jq", "vault-preflight");

  /** Markup in operator-controlled text: must show as text and inject nothing. */
  private static final String HOSTILE_REASON =
      "unseal bug <script>document.body.setAttribute('data-injected','yes')</script>"
          + "<img id=\"injected\" src=\"x\" onerror=\"document.title='injected'\">";

  private static final String HOSTILE_REQUESTER = "ci <b id=\"injected-requester\">job</b> #42";
  private static final Path SCREENSHOTS = Path.of("target", "screenshots");

  @TestHTTPResource("/")
  URL root;

  @jakarta.inject.Inject CloudTaskRepository tasks;

  private static KafkaProducer<String, String> producer;
  private Long builder;

  @BeforeEach
  void consumerReady() {
    awaitConsumerReady();
  }

  @Test
  void storyBuildPagesRenderInHeadlessChromium() throws Exception {
    HeadlessChromium chromium = HeadlessChromium.require(Path.of("target"));

    Story a = story(HOSTILE_REQUESTER, Duration.ofMillis(1500));
    verdict(a, Verdict.PASSED, matrix(null));
    awaitStatus(a.id, "PROMOTED");
    awaitTimeline(a.id, EventType.IMAGE_PROMOTED);

    Story b = story("registry-tests", Duration.ZERO);
    verdict(b, Verdict.ARTIFACT_DEFECT, matrix(b));
    awaitStatus(b.id, "DEFECTIVE");
    awaitTimeline(b.id, EventType.BUILD_FAILED);

    Story c = story("registry-tests", Duration.ZERO);
    verdict(c, Verdict.PASSED, matrix(null));
    awaitStatus(c.id, "PROMOTED");
    await().atMost(Duration.ofSeconds(30)).until(() -> promoteTaskDone(c.id));

    String versions = "/api/families/" + FAMILY + "/versions/";
    given()
        .header("Authorization", ADMIN)
        .contentType("application/json")
        .body("{\"reason\":\"v3 breaks the vault unseal\"}")
        .post(versions + a.spec.version() + "/promote")
        .then()
        .statusCode(200);
    given()
        .header("Authorization", ADMIN)
        .contentType("application/json")
        .body(Map.of("reason", HOSTILE_REASON))
        .post(versions + c.spec.version() + "/revoke")
        .then()
        .statusCode(200)
        .body("revokeReason", equalTo(HOSTILE_REASON));

    // The builds list, filtered by family, then by family and status.
    Document list =
        chromium.load(url("/ui/builds?family=" + FAMILY), SCREENSHOTS.resolve("builds.png"));
    assertThat(list.title()).startsWith("Builds");
    assertThat(list.select("#builds tbody tr").eachAttr("data-build-id"))
        .containsExactly(c.id.toString(), b.id.toString(), a.id.toString());
    assertThat(row(list, a).select("td.status").text()).isEqualTo("PROMOTED");
    assertThat(row(list, b).select("td.status").text()).isEqualTo("DEFECTIVE");
    assertThat(row(list, c).select("td.status").text()).isEqualTo("VERIFIED");
    assertThat(row(list, a).text()).contains(a.spec.version(), "PASSED", HOSTILE_REQUESTER);
    assertThat(list.select("#injected-requester")).isEmpty();
    assertThat(list.select("select[name=family] option[selected]").val()).isEqualTo(FAMILY);
    Document defective =
        chromium.load(
            url("/ui/builds?family=" + FAMILY + "&status=defective&size=5"),
            SCREENSHOTS.resolve("builds-defective.png"));
    assertThat(defective.select("#builds tbody tr").eachAttr("data-build-id"))
        .containsExactly(b.id.toString());
    assertThat(defective.select("select[name=status] option[selected]").val())
        .isEqualTo("DEFECTIVE");

    // The promoted build: summary, stages to scale, a matrix that passed.
    Document pa = chromium.load(url("/ui/builds/" + a.id), SCREENSHOTS.resolve("build.png"));
    assertThat(pa.select("#version").text()).isEqualTo(a.spec.version());
    assertThat(pa.select("#status").text()).isEqualTo("PROMOTED");
    assertThat(pa.select("#verdict").text()).startsWith("PASSED over ipv4");
    assertThat(pa.select("#image").text()).isEqualTo(Long.toString(a.imageId));
    assertThat(pa.select("#requested-by").text()).isEqualTo(HOSTILE_REQUESTER);
    assertThat(pa.select("#injected-requester")).isEmpty();
    assertDrawnToScale(pa, a.id);
    assertThat(pa.select("#matrix tbody tr").eachAttr("data-user")).isEqualTo(USERS);
    assertThat(pa.select("#matrix thead th").eachText().subList(1, 6)).isEqualTo(BINARIES);
    assertThat(pa.select("#matrix td[data-ok=true]")).hasSize(10);
    assertThat(pa.select("#matrix td[data-ok=false]")).isEmpty();
    assertThat(pa.select("#matrix").attr("data-failed")).isEqualTo("0");
    assertThat(cell(pa, "admin", "jq").text()).contains("/usr/bin/jq", "jq-1.6");
    assertThat(pa.select("#checks tr[data-check=sshd]").attr("data-ok")).isEqualTo("true");
    assertThat(pa.select("#events tbody tr").eachAttr("data-event-type"))
        .contains("OPERATOR_PROMOTE")
        .startsWith("BUILD_REQUESTED", "BUILD_ACCEPTED", "BUILDER_READY");

    // The defective build: the failing cells and each one's output.
    Document pb =
        chromium.load(url("/ui/builds/" + b.id), SCREENSHOTS.resolve("build-defective.png"));
    assertThat(pb.select("#status").text()).isEqualTo("DEFECTIVE");
    assertThat(pb.select("#verdict").text()).startsWith("ARTIFACT_DEFECT");
    assertThat(pb.select("#failure").text()).contains("verify", "artifact_defect");
    assertThat(pb.select("#matrix td[data-ok=true]")).hasSize(8);
    assertThat(pb.select("#matrix").attr("data-failed")).isEqualTo("2");
    Element missing = cell(pb, "admin", "vault-preflight");
    assertThat(missing.hasClass("cell-fail")).isTrue();
    assertThat(missing.select("pre.output").text())
        .isEqualTo("not found on admin's login PATH (/usr/bin:/bin)");
    Element broken = cell(pb, "root", "jq");
    assertThat(broken.select("pre.output").text())
        .contains("probe --version exited 127: jq: error while loading shared libraries")
        .contains("exit 127");
    assertThat(pb.select("#failures tbody tr")).hasSize(2);
    assertThat(pb.select("#timeline .row").last().attr("data-event-type"))
        .isEqualTo("BUILD_FAILED");
    assertThat(pb.select("#timeline .row.fail")).isNotEmpty();
    assertDrawnToScale(pb, b.id);

    // The family: promoted version (the rollback's), history, rollback, revocation.
    Document pf = chromium.load(url("/ui/families/" + FAMILY), SCREENSHOTS.resolve("family.png"));
    assertThat(pf.select("#promoted-version").text()).isEqualTo(a.spec.version());
    assertThat(pf.select("#promoted-image").text()).isEqualTo(Long.toString(a.imageId));
    assertThat(pf.select("#history tbody tr").eachAttr("data-version"))
        .containsExactly(c.spec.version(), b.spec.version(), a.spec.version());
    assertThat(pf.select("#history tbody tr").eachAttr("data-status"))
        .containsExactly("REVOKED", "REJECTED", "PROMOTED");
    Element rollback = pf.selectFirst("#rollbacks tbody tr");
    assertThat(rollback.attr("data-version")).isEqualTo(a.spec.version());
    assertThat(rollback.select(".actor").text()).isEqualTo("ops-alice");
    assertThat(rollback.select(".reason").text()).isEqualTo("v3 breaks the vault unseal");
    assertThat(pf.select("#rollbacks tbody tr")).hasSize(1);
    Element revocation = pf.selectFirst("#revocations tbody tr");
    assertThat(revocation.attr("data-version")).isEqualTo(c.spec.version());
    assertThat(revocation.select(".actor").text()).isEqualTo("ops-alice");
    assertThat(revocation.select(".reason").first().wholeText()).isEqualTo(HOSTILE_REASON);
    assertThat(pf.select("#injected")).isEmpty();
    assertThat(pf.select("main script")).isEmpty();
    assertThat(pf.body().hasAttr("data-injected")).isFalse();
    assertThat(pf.title()).doesNotContain("injected").startsWith("Family " + FAMILY);

    for (String shot :
        List.of("builds.png", "builds-defective.png", "build.png", "build-defective.png")) {
      assertThat(SCREENSHOTS.resolve(shot)).isNotEmptyFile();
    }
    assertThat(SCREENSHOTS.resolve("family.png")).isNotEmptyFile();
  }

  @Test
  void badInputUnknownIdsARejectedBuildAndReadOnly() {
    Document bad =
        Jsoup.parse(
            given()
                .queryParam("status", "bogus")
                .queryParam("from", "yesterday")
                .queryParam("page", "one")
                .get("/ui/builds")
                .then()
                .statusCode(400)
                .contentType(startsWith("text/html"))
                .body(not(containsString("Exception")))
                .extract()
                .asString());
    assertThat(bad.select("#error").attr("data-status")).isEqualTo("400");
    assertThat(bad.select("#error-fields li").eachAttr("data-field"))
        .containsExactlyInAnyOrder("page", "status", "from");
    Document filters =
        Jsoup.parse(
            given()
                .queryParam("status", "bogus")
                .queryParam("from", "yesterday")
                .queryParam("size", "0")
                .queryParam("family", "")
                .get("/ui/builds")
                .then()
                .statusCode(400)
                .extract()
                .asString());
    assertThat(filters.select("#error-fields li").eachAttr("data-field"))
        .containsExactlyInAnyOrder("status", "from", "size");
    assertThat(filters.select("li[data-field=status]").text()).contains("must be one of");

    String unknown = UUID.randomUUID().toString();
    Document notFound =
        Jsoup.parse(
            given()
                .get("/ui/builds/" + unknown)
                .then()
                .statusCode(404)
                .contentType(startsWith("text/html"))
                .extract()
                .asString());
    assertThat(notFound.select("#error-detail").text()).isEqualTo("no build " + unknown);
    given()
        .get("/ui/builds/not-a-uuid")
        .then()
        .statusCode(400)
        .contentType(startsWith("text/html"));
    given().get("/ui/families/no-such-family").then().statusCode(404);
    given().get("/ui/families/Bad_Name").then().statusCode(400);
    given().get("/ui/nothing/here").then().statusCode(404).contentType(startsWith("text/html"));
    given()
        .queryParam("status", "<script>x</script>")
        .get("/ui/builds")
        .then()
        .statusCode(400)
        .body(not(containsString("<script>x")));

    // A rejected build of this test's own (a family nobody declares): no spec, no report, one
    // stage. The builds of other test classes share the database, so none of theirs is picked.
    UUID rejectedId = UUID.randomUUID();
    send(request(rejectedId, "no-such-family", null));
    awaitTimeline(rejectedId, EventType.BUILD_REJECTED);
    String rejected = rejectedId.toString();
    Document page =
        Jsoup.parse(
            given().get("/ui/builds/" + rejected).then().statusCode(200).extract().asString());
    assertThat(page.select("#status").text()).isEqualTo("REJECTED");
    assertThat(page.select("#timeline .row").eachAttr("data-event-type"))
        .containsExactly("BUILD_REJECTED");
    assertThat(page.select("#matrix-empty")).hasSize(1);
    given().get("/ui/builds").then().statusCode(200).body(containsString(rejected));

    given()
        .redirects()
        .follow(false)
        .get("/ui")
        .then()
        .statusCode(303)
        .header("Location", org.hamcrest.Matchers.endsWith("/ui/builds"));
    given().get("/ui/families").then().statusCode(200).body(containsString(FAMILY));
    // Read-only: a mutation needs a write token like the API's, and even then there is none.
    given().post("/ui/builds").then().statusCode(401);
    given()
        .header("Authorization", "Bearer test-reader-token")
        .post("/ui/builds")
        .then()
        .statusCode(403);
    for (String method : List.of("POST", "PUT", "DELETE", "PATCH")) {
      given().header("Authorization", ADMIN).request(method, "/ui/builds").then().statusCode(405);
      given()
          .header("Authorization", ADMIN)
          .request(method, "/ui/families/" + FAMILY)
          .then()
          .statusCode(405);
    }
  }

  /** A build through intake, provision, configure and snapshot, all over the broker. */
  private Story story(String requestedBy, Duration configureTakes) throws Exception {
    UUID id = UUID.randomUUID();
    publish(new BuildRequested(id, FAMILY, null, requestedBy, Instant.now()));
    awaitStatus(id, "ACCEPTED");
    String answer =
        EventCodec.mapper()
            .readTree(given().get("/api/builds/" + id).then().extract().asString())
            .get("answer")
            .toString();
    BuildSpec spec = EventCodec.fromJson(answer, BuildAccepted.class).spec();
    publish(new BuilderReady(id, spec, 4242, "10.213.5.2", null, HOST_KEY, Instant.now()));
    awaitStatus(id, "PROVISIONED");
    Thread.sleep(configureTakes.toMillis());
    publish(
        new BuilderConfigured(
            id,
            spec,
            4242,
            BuilderConfigured.Outcome.OK,
            null,
            null,
            null,
            11,
            "configurator/" + id + ".log",
            Instant.now()));
    awaitStatus(id, "CONFIGURED");
    long imageId = snapshotOfBuilder(id, spec);
    publish(new SnapshotCreated(id, spec, imageId, 1.2, Instant.now()));
    awaitStatus(id, "SNAPSHOTTED");
    return new Story(id, spec, imageId);
  }

  /**
   * A candidate snapshot with the provisioner's labels, taken of one builder server that all three
   * builds share (a server per build would cost seconds of action polling each).
   */
  private long snapshotOfBuilder(UUID id, BuildSpec spec) {
    if (builder == null) {
      CreateServerResult server =
          hcloud
              .servers()
              .createAndAwait(
                  CreateServerRequest.builder(
                          "reg-web-builder", spec.serverType(), spec.baseImage())
                      .location(spec.location())
                      .label("goldsmith.dev/managed", "true")
                      .label("goldsmith.dev/role", "builder")
                      .build());
      hcloud.actions().waitForAndAwait(server.allActions());
      builder = server.server().id();
    }
    Map<String, String> labels = new HashMap<>();
    labels.put("goldsmith.dev/managed", "true");
    labels.put("goldsmith.dev/installation", spec.installationId());
    labels.put("goldsmith.dev/family", spec.family());
    labels.put("goldsmith.dev/version", spec.version());
    labels.put("goldsmith.dev/build-id", id.toString());
    labels.put("goldsmith.dev/state", "candidate");
    labels.put("goldsmith.dev/base-image", spec.baseImage());
    long imageId =
        hcloud
            .servers()
            .createImageAndAwait(
                builder, CreateImageRequest.snapshot(spec.family() + " " + spec.version(), labels))
            .image()
            .id();
    await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(50))
        .until(() -> image(imageId).map(i -> i.status() == ImageStatus.AVAILABLE).orElse(false));
    return imageId;
  }

  @AfterEach
  void deleteBuilder() {
    if (builder != null) {
      hcloud.actions().waitForAndAwait(hcloud.servers().deleteAndAwait(builder));
      builder = null;
    }
  }

  /** Publishes an event with its CloudEvents headers through one producer for the whole class. */
  private static synchronized void publish(PipelineEvent event) {
    if (producer == null) {
      Properties p = new Properties();
      p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaTestSupport.bootstrapServers());
      p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
      p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
      p.put(ProducerConfig.ACKS_CONFIG, "all");
      producer = new KafkaProducer<>(p);
    }
    try {
      producer
          .send(
              new ProducerRecord<>(
                  event.type().topic(),
                  null,
                  event.buildId().toString(),
                  EventCodec.toJson(event),
                  headers(event)))
          .get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("could not publish " + event.type() + ": " + e, e);
    }
  }

  @AfterAll
  static synchronized void closeProducer() {
    if (producer != null) {
      producer.close(Duration.ofSeconds(5));
      producer = null;
    }
  }

  private record Story(UUID id, BuildSpec spec, long imageId) {}

  private static void verdict(Story s, Verdict verdict, VerificationReport report) {
    publish(
        new VerificationFinished(
            s.id, s.spec, s.imageId, verdict, "ipv4", report, 1, Instant.now()));
  }

  /** Every cell passes, except in the defective build: admin lacks one binary, root's jq breaks. */
  private static VerificationReport matrix(Story defective) {
    List<BinaryResult> cells = new ArrayList<>();
    for (String user : USERS) {
      for (String bin : BINARIES) {
        String path = ("vault-preflight".equals(bin) ? "/usr/local/bin/" : "/usr/bin/") + bin;
        if (defective != null && user.equals("admin") && bin.equals("vault-preflight")) {
          cells.add(
              new BinaryResult(
                  user,
                  bin,
                  null,
                  null,
                  null,
                  14,
                  false,
                  "not found on admin's login PATH (/usr/bin:/bin)"));
        } else if (defective != null && user.equals("root") && bin.equals("jq")) {
          cells.add(
              new BinaryResult(
                  user,
                  bin,
                  path,
                  "jq: error while loading shared libraries: libjq.so.1",
                  127,
                  9,
                  false,
                  "probe --version exited 127: jq: error while loading shared libraries:"
                      + " libjq.so.1: cannot open shared object file"));
        } else {
          cells.add(new BinaryResult(user, bin, path, bin + "-1.6", 0, 20, true, null));
        }
      }
    }
    List<CheckResult> checks =
        List.of(
            new CheckResult("users", true, "admin, vault as declared"),
            new CheckResult("sshd", true, "passwordauthentication no"),
            new CheckResult("forbidden_paths", true, null));
    List<AccessResult> access =
        List.of(new AccessResult("admin", "sudo_group", "sudo", true, "declared in groups"));
    String summary =
        defective == null
            ? "passed: 5 binaries for 2 users and 3 image checks"
            : "artifact defect: admin lacks vault-preflight; root's jq exited 127";
    return new VerificationReport(cells, checks, summary, access);
  }

  /**
   * Each bar's position and width is its share of the build's duration, computed here from the
   * timeline the API reports: consecutive pipeline events up to the build's end.
   */
  private void assertDrawnToScale(Document page, UUID id) {
    List<Map<String, Object>> entries =
        given().get("/api/builds/" + id).then().statusCode(200).extract().path("timeline");
    Set<String> pipeline =
        Arrays.stream(EventType.values()).map(Enum::name).collect(Collectors.toSet());
    List<Instant> times = new ArrayList<>();
    List<String> types = new ArrayList<>();
    for (Map<String, Object> e : entries) {
      String type = (String) e.get("eventType");
      if (!pipeline.contains(type)) {
        continue;
      }
      times.add(Instant.parse((String) e.get("occurredAt")));
      types.add(type);
      if (Set.of("IMAGE_PROMOTED", "BUILD_FAILED", "BUILD_REJECTED").contains(type)) {
        break;
      }
    }
    long total = Duration.between(times.get(0), times.get(times.size() - 1)).toMillis();
    assertThat(total).isPositive();
    List<Element> rows = page.select("#timeline .row");
    double configureWidth = -1;
    assertThat(rows).hasSize(times.size() - 1);
    assertThat(page.select("#timeline").attr("data-total-ms")).isEqualTo(Long.toString(total));
    for (int i = 1; i < times.size(); i++) {
      Element row = rows.get(i - 1);
      long offset = Duration.between(times.get(0), times.get(i - 1)).toMillis();
      long duration = Duration.between(times.get(i - 1), times.get(i)).toMillis();
      Element rect = row.selectFirst("svg rect.bar");
      assertThat(rect).as("bar %d", i).isNotNull();
      double width = Double.parseDouble(rect.attr("width"));
      assertThat(row.attr("data-event-type")).isEqualTo(types.get(i));
      assertThat(width)
          .as("width of %s", types.get(i))
          .isCloseTo(1000.0 * duration / total, within(0.01));
      assertThat(Double.parseDouble(rect.attr("x")))
          .as("start of %s", types.get(i))
          .isCloseTo(1000.0 * offset / total, within(0.01));
      if (row.attr("data-stage").equals("configure")) {
        configureWidth = width;
      }
    }
    if (page.select("#requested-by").text().equals(HOSTILE_REQUESTER)) {
      // Build v1's builder was configured 1.5 s after it was ready: at least that share.
      assertThat(configureWidth).isGreaterThanOrEqualTo(1000.0 * 1500 / total);
    }
  }

  private static Element row(Document list, Story s) {
    return list.selectFirst("#builds tr[data-build-id=" + s.id + "]");
  }

  private static Element cell(Document page, String user, String binary) {
    Element cell =
        page.selectFirst("#matrix td[data-user=" + user + "][data-binary=" + binary + "]");
    assertThat(cell).as("cell %s × %s", user, binary).isNotNull();
    return cell;
  }

  private String url(String path) {
    return "http://127.0.0.1:" + root.getPort() + path;
  }

  private static void awaitStatus(UUID id, String status) {
    await()
        .alias("build " + id + " " + status)
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(100))
        .until(() -> status.equals(given().get("/api/builds/" + id).path("build.status")));
  }

  private static void awaitTimeline(UUID id, EventType type) {
    await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(100))
        .ignoreExceptions() // 404 until the registry has the build
        .until(
            () ->
                given()
                    .get("/api/builds/" + id)
                    .then()
                    .extract()
                    .<List<String>>path("timeline.eventType")
                    .contains(type.name()));
  }

  private boolean promoteTaskDone(UUID buildId) {
    return QuarkusTransaction.requiringNew()
        .call(
            () -> {
              CloudTask t =
                  tasks
                      .find("buildId = ?1 and kind = ?2", buildId, CloudTask.Kind.PROMOTE)
                      .firstResult();
              return t != null && t.step == CloudTask.Step.DONE;
            });
  }
}
