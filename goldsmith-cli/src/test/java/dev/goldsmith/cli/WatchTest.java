package dev.goldsmith.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import picocli.CommandLine;

class WatchTest {
  static final UUID ID = UUID.fromString("5f0c8c4e-2a57-4c1e-9a43-0d7b1a3e9c11");
  static final String T0 = "2026-12-01T10:00:00Z";

  static String entry(String type, String at, String event) {
    return "{\"eventType\":\"" + type + "\",\"occurredAt\":\"" + at + "\",\"event\":" + event + "}";
  }

  static String detail(String status, String verdict, String... entries) {
    return "{\"build\":{\"buildId\":\""
        + ID
        + "\",\"family\":\"vault-base\",\"version\":\"20261201-v1\",\"status\":\""
        + status
        + "\",\"statusReason\":\"admin cannot run vault-preflight\",\"imageId\":200000001,\"verdict\":"
        + (verdict == null ? "null" : "\"" + verdict + "\"")
        + "},\"timeline\":["
        + String.join(",", entries)
        + "]}";
  }

  static final String REQUESTED =
      entry("BUILD_REQUESTED", T0, "{\"family\":\"vault-base\",\"requestedBy\":\"ci/1\"}");
  static final String ACCEPTED =
      entry("BUILD_ACCEPTED", "2026-12-01T10:00:03Z", "{\"spec\":{\"version\":\"20261201-v1\"}}");
  static final String READY =
      entry(
          "BUILDER_READY", "2026-12-01T10:00:10Z", "{\"serverId\":100001,\"ipv4\":\"10.213.5.2\"}");
  static final String VERIFIED_DEFECT =
      entry(
          "VERIFICATION_FINISHED",
          "2026-12-01T10:01:20Z",
          """
          {"verdict":"ARTIFACT_DEFECT","addressFamily":"ipv4","report":{"summary":"admin cannot run vault-preflight",
           "binaries":[{"user":"root","binary":"vault-preflight","versionLine":"vault-preflight 0.3.0","ok":true,"durationMs":1},
                       {"user":"admin","binary":"vault-preflight","ok":false,"exitCode":126,"detail":"permission denied","durationMs":1}],
           "checks":[]}}
          """);

  FakeRegistry registry;

  @BeforeEach
  void start() throws Exception {
    registry = new FakeRegistry();
  }

  @AfterEach
  void stop() {
    registry.close();
  }

  private Goldsmith root(StringWriter out, StringWriter err, String... args) {
    Goldsmith g = new Goldsmith();
    g.tty = false;
    CommandLine cl =
        Goldsmith.commandLine(g, new PrintWriter(out, true), new PrintWriter(err, true));
    cl.parseArgs(args);
    return g;
  }

  @Test
  void oneLinePerStageWithElapsedAndStageTimesThenTheMatrixAndTheDefectsExitCode() {
    String path = "GET /api/builds/" + ID;
    registry
        .on(path, 404, "{\"title\":\"Not Found\",\"status\":404,\"detail\":\"no build\"}")
        .on(path, 200, detail("ACCEPTED", null, REQUESTED, ACCEPTED))
        .on(path, 200, detail("PROVISIONED", null, REQUESTED, ACCEPTED, READY))
        .on(
            path,
            200,
            detail("DEFECTIVE", "ARTIFACT_DEFECT", REQUESTED, ACCEPTED, READY, VERIFIED_DEFECT));
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    Goldsmith g = root(out, err, "--registry", registry.url());
    Watcher w =
        new Watcher(
            g.registry(),
            g.out(),
            false,
            Duration.ofMillis(10),
            Duration.ofSeconds(20),
            Instant.now());
    JsonNode d = w.watch(ID, Instant.parse(T0));
    int code = BuildCommand.finish(g, d, null);
    assertThat(code).isEqualTo(ExitCode.DEFECTIVE);
    assertThat(out.toString().lines().toList())
        .containsExactly(
            "[   3s] accepted: version allocated        +3s 20261201-v1",
            "[  10s] provisioned: builder running       +7s server 100001 10.213.5.2",
            "[  80s] verified on a fresh server         +70s ARTIFACT_DEFECT over ipv4: admin cannot"
                + " run vault-preflight",
            "",
            "BINARY           root                      admin",
            "vault-preflight  ok vault-preflight 0.3.0  FAIL permission denied",
            "DEFECTIVE: vault-base 20261201-v1 (ARTIFACT_DEFECT): admin cannot run vault-preflight");
    assertThat(err.toString()).isEmpty();
  }

  @Test
  void aPromotedBuildIsExitZeroItsManifestIsWrittenAndJsonCarriesTheDetail(@TempDir Path dir)
      throws Exception {
    String promoted =
        entry(
            "IMAGE_PROMOTED",
            "2026-12-01T10:01:21Z",
            "{\"imageId\":200000001,\"reason\":\"verified\"}");
    registry
        .on(
            "GET /api/builds/" + ID,
            200,
            detail("PROMOTED", "PASSED", REQUESTED, ACCEPTED, promoted))
        .on(
            "GET /api/builds/" + ID + "/manifest",
            200,
            "{\"builds\":[{\"artifact_id\":\"fsn1:200000001\",\"builder_type\":\"hcloud\"}],\"last_run_uuid\":\"x\"}");
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    Goldsmith g = root(out, err, "--registry", registry.url(), "--output", "json");
    JsonNode d =
        new Watcher(
                g.registry(),
                g.err(),
                false,
                Duration.ofMillis(10),
                Duration.ofSeconds(5),
                Instant.now())
            .watch(ID, Instant.parse(T0));
    Path m = dir.resolve("manifest.json");
    assertThat(BuildCommand.finish(g, d, m)).isZero();
    JsonNode doc = Registry.JSON.readTree(out.toString());
    assertThat(doc.path("status").asText()).isEqualTo("PROMOTED");
    assertThat(doc.path("exitCode").asInt()).isZero();
    assertThat(doc.path("imageId").asLong()).isEqualTo(200000001L);
    assertThat(doc.at("/detail/timeline").size()).isEqualTo(3);
    assertThat(doc.path("manifest").asText()).isEqualTo(m.toString());
    assertThat(Registry.JSON.readTree(Files.readString(m)).at("/builds/0/artifact_id").asText())
        .isEqualTo("fsn1:200000001");
    // the stage lines went to stderr, so stdout is only the document
    assertThat(err.toString())
        .contains("promoted")
        .contains("[  81s] promoted                           +78s image 200000001 (verified)");
  }

  @Test
  void aMissingManifestEndpointIsOneClearLineAndNotExitZero(@TempDir Path dir) {
    String promoted = entry("IMAGE_PROMOTED", "2026-12-01T10:01:21Z", "{\"imageId\":200000001}");
    registry.on("GET /api/builds/" + ID, 200, detail("PROMOTED", "PASSED", REQUESTED, promoted));
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    Goldsmith g = root(out, err, "--registry", registry.url());
    JsonNode d = g.registry().get("/api/builds/" + ID);
    Path m = dir.resolve("manifest.json");
    assertThat(BuildCommand.finish(g, d, m)).isEqualTo(ExitCode.FAILED_REQUEST);
    assertThat(err.toString())
        .isEqualTo(
            "goldsmith: no manifest for build "
                + ID
                + ": Not Found (404): no route GET /api/builds/"
                + ID
                + "/manifest\n");
    assertThat(m).doesNotExist();
    assertThat(out.toString())
        .contains("PROMOTED: vault-base 20261201-v1 promoted as image 200000001");
  }

  @Test
  void elapsedTimesCanCountFromAScriptsOwnStart() {
    registry.on("GET /api/builds/" + ID, 200, detail("FAILED", null, REQUESTED, ACCEPTED));
    StringWriter out = new StringWriter();
    Goldsmith g = root(out, new StringWriter(), "--registry", registry.url());
    JsonNode d =
        new Watcher(
                g.registry(),
                g.out(),
                false,
                Duration.ofMillis(10),
                Duration.ofSeconds(5),
                Instant.now())
            .watch(ID, Instant.parse(T0).minusSeconds(40), Instant.parse(T0));
    assertThat(out.toString())
        .isEqualTo("[  43s] accepted: version allocated        +3s 20261201-v1\n");
    assertThat(BuildCommand.finish(g, d, null)).isEqualTo(ExitCode.BUILD_FAILED);
  }

  @Test
  void reattachingToAnEarlierBuildCountsFromItsRequestAndShowsARepeatedAnswerOnce() {
    registry.on(
        "GET /api/builds/" + ID,
        200,
        detail(
            "FAILED", null, REQUESTED, ACCEPTED, READY, ACCEPTED.replace("10:00:03", "10:05:00")));
    StringWriter out = new StringWriter();
    Goldsmith g = root(out, new StringWriter(), "--registry", registry.url());
    Instant now = Instant.now();
    new Watcher(g.registry(), g.out(), false, Duration.ofMillis(10), Duration.ofSeconds(5), now)
        .watch(ID, now, now, true);
    assertThat(out.toString().lines().toList())
        .containsExactly(
            "[   3s] accepted: version allocated        +3s 20261201-v1",
            "[  10s] provisioned: builder running       +7s server 100001 10.213.5.2");
  }

  @Test
  void aWatchThatOutlivesItsTimeoutIsExitNine() {
    registry.on(
        "GET /api/builds/" + ID, 200, detail("PROVISIONED", null, REQUESTED, ACCEPTED, READY));
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    Goldsmith g = root(out, err, "--registry", registry.url());
    Watcher w =
        new Watcher(
            g.registry(),
            g.out(),
            true,
            Duration.ofMillis(20),
            Duration.ofMillis(2000),
            Instant.now());
    try {
      w.watch(ID, Instant.parse(T0));
      throw new AssertionError("no timeout");
    } catch (CliException e) {
      assertThat(e.exitCode()).isEqualTo(ExitCode.WATCH_TIMEOUT);
      assertThat(e.getMessage()).contains("still PROVISIONED", "goldsmith build show " + ID);
    }
    // on a terminal the running stage had a progress line, cleared before the end
    assertThat(out.toString()).contains("\rconfiguring".substring(1)).contains("\r\033[K");
  }

  @Test
  void buildShowPrintsTheTimelineTableAndTheMatrix() throws Exception {
    registry.on(
        "GET /api/builds/" + ID,
        200,
        detail("DEFECTIVE", "ARTIFACT_DEFECT", REQUESTED, ACCEPTED, READY, VERIFIED_DEFECT));
    Run r = Run.of("build", "show", ID.toString(), "--registry", registry.url());
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out())
        .containsPattern("TIME +ELAPSED +STAGE +EVENT +DETAIL")
        .containsPattern(
            "2026-12-01T10:00:10Z +\\+10s +\\+7s +provisioned: builder running +server 100001")
        .contains("vault-preflight  ok vault-preflight 0.3.0  FAIL permission denied")
        .contains("DEFECTIVE: vault-base 20261201-v1 (ARTIFACT_DEFECT)");
    Run json = Run.of("-o", "json", "build", "show", ID.toString(), "--registry", registry.url());
    assertThat(Registry.JSON.readTree(json.out()).at("/build/status").asText())
        .isEqualTo("DEFECTIVE");
    Run missing =
        Run.of("build", "show", UUID.randomUUID().toString(), "--registry", registry.url());
    assertThat(missing.code()).isEqualTo(ExitCode.FAILED_REQUEST);
    assertThat(missing.err()).startsWith("goldsmith: no build ");
  }
}
