package dev.goldsmith.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

class RegistryCommandsTest {
  static final String VERSIONS =
      """
      {"items":[
        {"status":"VERIFIED","family":"vault-base","version":"20261201-v4","imageId":4,"imageExists":true,"createdAt":"2026-12-01T10:04:00Z"},
        {"status":"PROMOTED","family":"vault-base","version":"20261201-v3","imageId":3,"imageExists":true,"createdAt":"2026-12-01T10:03:00Z"},
        {"status":"SUPERSEDED","family":"vault-base","version":"20261201-v2","imageId":2,"imageExists":false,"createdAt":"2026-12-01T10:02:00Z"},
        {"status":"SUPERSEDED","family":"vault-base","version":"20261201-v1","imageId":1,"imageExists":true,"createdAt":"2026-12-01T10:01:00Z"},
        {"status":"REVOKED","family":"vault-base","version":"20261130-v9","imageId":null,"imageExists":false,"createdAt":"2026-11-30T10:01:00Z","revokedBy":"ops","revokeReason":"cve"}
      ],"page":0,"size":100,"totalItems":5,"totalPages":1}
      """;

  FakeRegistry registry;

  @BeforeEach
  void start() throws Exception {
    registry = new FakeRegistry();
  }

  @AfterEach
  void stop() {
    registry.close();
  }

  @Test
  void versionsIsATableThatMarksThePromotedOneAndJsonIsTheRegistrysPage() throws Exception {
    registry.on("GET /api/families/vault-base/versions?size=100", 200, VERSIONS);
    Run text = Run.of("versions", "vault-base", "--registry", registry.url());
    assertThat(text.code()).isZero();
    assertThat(text.out().lines().toList())
        .hasSize(6)
        .first()
        .asString()
        .startsWith("  VERSION")
        .contains("STATUS", "IMAGE", "SNAPSHOT");
    assertThat(text.out()).containsPattern("\\* 20261201-v3 +PROMOTED +3 +yes");
    assertThat(text.out()).containsPattern("  20261201-v2 +SUPERSEDED +2 +no");
    assertThat(text.out()).contains("revoked by ops: cve");

    Run json = Run.of("--output", "json", "versions", "vault-base", "--registry", registry.url());
    assertThat(json.code()).isZero();
    JsonNode parsed = Registry.JSON.readTree(json.out());
    assertThat(parsed).isEqualTo(Registry.JSON.readTree(VERSIONS));
  }

  @Test
  void rollbackPromotesTheNewestOlderVersionWhoseSnapshotIsKept() {
    registry
        .on("GET /api/families/vault-base/versions?size=100", 200, VERSIONS)
        .on(
            "POST /api/families/vault-base/versions/20261201-v1/promote",
            200,
            "{\"status\":\"PROMOTED\",\"family\":\"vault-base\",\"version\":\"20261201-v1\",\"imageId\":1}");
    Run r =
        Run.of(
            "rollback",
            "vault-base",
            "--reason",
            "v3 breaks the agent",
            "--registry",
            registry.url(),
            "--token",
            "s3cret");
    assertThat(r.err()).isEmpty();
    assertThat(r.code()).isZero();
    assertThat(r.out())
        .isEqualTo("vault-base rolled back to 20261201-v1 (status PROMOTED, image 1)\n");
    FakeRegistry.Call post = registry.calls("POST").get(0);
    assertThat(post.path()).isEqualTo("/api/families/vault-base/versions/20261201-v1/promote");
    assertThat(post.authorization()).isEqualTo("Bearer s3cret");
    assertThat(post.body()).isEqualTo("{\"reason\":\"v3 breaks the agent\"}");
  }

  @Test
  void rollbackWithNothingToGoBackToSaysSoAndChangesNothing() {
    registry.on(
        "GET /api/families/vault-base/versions?size=100",
        200,
        "{\"items\":[{\"status\":\"PROMOTED\",\"version\":\"20261201-v3\",\"imageExists\":true}]}");
    Run r = Run.of("rollback", "vault-base", "--reason", "x", "--registry", registry.url());
    assertThat(r.code()).isEqualTo(ExitCode.FAILED_REQUEST);
    assertThat(r.err())
        .isEqualTo(
            "goldsmith: no version of vault-base before 20261201-v3 is SUPERSEDED or VERIFIED with"
                + " its snapshot kept (see goldsmith versions vault-base)\n");
    assertThat(registry.calls("POST")).isEmpty();
  }

  @Test
  void aRefusalIsOneLineFromTheProblemWithNoStackTrace() {
    registry.on(
        "POST /api/families/vault-base/versions/20261201-v2/revoke",
        409,
        """
        {"type":"https://goldsmith.dev/problems/not-promotable","title":"Conflict with the version's state",
         "status":409,"detail":"20261201-v2 is the promoted version of vault-base","instance":"/api/x"}
        """);
    Run r =
        Run.of(
            "revoke", "vault-base", "20261201-v2", "--reason", "cve", "--registry", registry.url());
    assertThat(r.code()).isEqualTo(ExitCode.FAILED_REQUEST);
    assertThat(r.out()).isEmpty();
    assertThat(r.err())
        .isEqualTo(
            "goldsmith: Conflict with the version's state (409): 20261201-v2 is the promoted"
                + " version of vault-base\n");
  }

  @Test
  void aMissingReasonIsAUsageErrorBeforeAnyRequest() {
    Run r = Run.of("promote", "vault-base", "20261201-v2", "--registry", registry.url());
    assertThat(r.code()).isEqualTo(ExitCode.USAGE);
    assertThat(r.err()).contains("--reason");
    assertThat(registry.calls).isEmpty();
  }

  @Test
  void anUnreachableRegistryIsExitSeven() {
    Run r = Run.of("builds", "--registry", "http://127.0.0.1:9");
    assertThat(r.code()).isEqualTo(ExitCode.UNREACHABLE);
    assertThat(r.err().lines()).hasSize(1);
    assertThat(r.err()).startsWith("goldsmith: registry unreachable at http://127.0.0.1:9");
  }

  @Test
  void buildsFiltersByFamilyAndStatus() throws Exception {
    registry.on(
        "GET /api/builds?size=20&family=vault-base&status=DEFECTIVE",
        200,
        """
        {"items":[{"buildId":"5f0c8c4e-2a57-4c1e-9a43-0d7b1a3e9c11","family":"vault-base","version":"20261201-v1",
          "status":"DEFECTIVE","statusReason":"admin cannot run vault-preflight","verdict":"ARTIFACT_DEFECT",
          "createdAt":"2026-12-01T10:00:00Z"}],"page":0,"size":20,"totalItems":1,"totalPages":1}
        """);
    Run r =
        Run.of(
            "builds",
            "--family",
            "vault-base",
            "--status",
            "DEFECTIVE",
            "--registry",
            registry.url());
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out())
        .containsPattern(
            "5f0c8c4e-2a57-4c1e-9a43-0d7b1a3e9c11 +vault-base +20261201-v1 +DEFECTIVE +ARTIFACT_DEFECT");
    Run json =
        Run.of(
            "-o",
            "json",
            "builds",
            "--family",
            "vault-base",
            "--status",
            "DEFECTIVE",
            "--registry",
            registry.url());
    assertThat(Registry.JSON.readTree(json.out()).at("/items/0/verdict").asText())
        .isEqualTo("ARTIFACT_DEFECT");
  }
}
