package dev.goldsmith.registry;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

import dev.goldsmith.events.Digests;
import dev.goldsmith.events.Provenance;
import dev.goldsmith.events.Verdict;
import dev.goldsmith.events.VerificationFinished;
import dev.goldsmith.events.VerificationReport;
import dev.goldsmith.hcloud.model.Image;

/**
 * {@code GET /api/builds/{id}/manifest}: Packer's manifest shape with the verdict's provenance for
 * a promoted build, the report digest on the promoted snapshot's labels next to the ones it had,
 * and problem+json for an unknown build (404), a build without a verified artifact (409) and a bad
 * id (400).
 */
@QuarkusTest
class ManifestIT extends RegistryTestSupport {
  private static final String PROBLEM = "application/problem+json";
  private static final String ROLES =
      "4d2c9a0e7b1f3c5a8e6d4b2a0f9e7c5b3a1d8f6e4c2b0a9e7d5c3b1a0f8e6d4c";
  private static final String VARS =
      "e3b7a1c9d5f2e8b4a6c0d2f4e6a8b0c2d4e6f8a0b2c4d6e8f0a2b4c6d8e0f2a4";

  @BeforeEach
  void consumerReady() {
    awaitConsumerReady();
  }

  @Test
  void aPromotedBuildHasAManifestWithItsProvenanceAndItsSnapshotTheReportDigest() {
    Candidate c = candidate("reg-manifest");
    // Not verified yet: no manifest.
    given()
        .get("/api/builds/" + c.buildId() + "/manifest")
        .then()
        .statusCode(409)
        .contentType(PROBLEM)
        .body("status", equalTo(409))
        .body("type", equalTo("https://goldsmith.dev/problems/no-verified-artifact"))
        .body("detail", containsString("CANDIDATE"));

    VerificationReport report =
        new VerificationReport(List.of(), List.of(), "passed: manifest test");
    String reportSha = Digests.sha256OfJson(report);
    Provenance p =
        new Provenance(
            4711L,
            "debian-12",
            "c61c3a77114f603189b12fdf86c96583e3bb5fc2",
            false,
            ROLES,
            VARS,
            reportSha);
    Image before = image(c.imageId()).orElseThrow();
    send(
        new VerificationFinished(
            c.buildId(),
            c.spec(),
            c.imageId(),
            Verdict.PASSED,
            "ipv4",
            report,
            1,
            p,
            Instant.now()));
    await()
        .atMost(Duration.ofSeconds(45))
        .until(
            () ->
                image(c.imageId())
                    .filter(i -> "true".equals(i.labels().get("goldsmith.dev/promoted")))
                    .filter(i -> i.protection().delete())
                    .isPresent());

    Image after = image(c.imageId()).orElseThrow();
    assertThat(after.labels())
        .containsEntry("goldsmith.dev/report-sha256", reportSha.substring(0, 63))
        .containsEntry("goldsmith.dev/state", "promoted");
    // every label the snapshot had stays, but the state
    before.labels().entrySet().stream()
        .filter(e -> !e.getKey().equals("goldsmith.dev/state"))
        .forEach(e -> assertThat(after.labels()).containsEntry(e.getKey(), e.getValue()));

    JsonPath m =
        given()
            .get("/api/builds/" + c.buildId() + "/manifest")
            .then()
            .statusCode(200)
            .contentType("application/json")
            .body("builds", hasSize(1))
            .body("last_run_uuid", equalTo(c.buildId().toString()))
            .body("builds[0].builder_type", equalTo("hcloud"))
            .body("builds[0].artifact_id", equalTo(Long.toString(c.imageId())))
            .body("builds[0].packer_run_uuid", equalTo(c.buildId().toString()))
            .body("builds[0].name", equalTo("reg-manifest-" + c.spec().version()))
            .body("builds[0].files", nullValue())
            .extract()
            .jsonPath();
    assertThat(m.getMap("builds[0]")).containsKey("files");
    long buildTime = m.getLong("builds[0].build_time");
    assertThat(buildTime)
        .isBetween(Instant.now().getEpochSecond() - 300, Instant.now().getEpochSecond() + 5);
    Map<String, String> data = m.getMap("builds[0].custom_data");
    assertThat(data)
        .containsEntry("family", "reg-manifest")
        .containsEntry("version", c.spec().version())
        .containsEntry("status", "PROMOTED")
        .containsEntry("verdict", "PASSED")
        .containsEntry("image_id", Long.toString(c.imageId()))
        .containsEntry("source_image_id", "4711")
        .containsEntry("source_image_name", "debian-12")
        .containsEntry("server_type", c.spec().serverType())
        .containsEntry("location", c.spec().location())
        .containsEntry("ansible_revision", "c61c3a77114f603189b12fdf86c96583e3bb5fc2")
        .containsEntry("ansible_dirty", "false")
        .containsEntry("roles_sha256", ROLES)
        .containsEntry("extra_vars_sha256", VARS)
        .containsEntry("report_sha256", reportSha);
    assertThat(data.values()).allSatisfy(v -> assertThat(v).isInstanceOf(String.class));
  }

  @Test
  void aVerdictWithoutProvenanceStillGetsTheReportDigestAndADefectHasNoManifest() {
    Candidate c = candidate("reg-manifest");
    VerificationFinished old = verdict(c, Verdict.ARTIFACT_DEFECT);
    assertThat(old.provenance()).isNull();
    send(old);
    await().atMost(Duration.ofSeconds(45)).until(() -> "REJECTED".equals(status(c.buildId())));
    given()
        .get("/api/builds/" + c.buildId() + "/manifest")
        .then()
        .statusCode(409)
        .contentType(PROBLEM)
        .body("detail", containsString("REJECTED"));
    String stored =
        io.quarkus.narayana.jta.QuarkusTransaction.requiringNew()
            .call(() -> builds.findById(c.buildId()).provenanceJson);
    assertThat(dev.goldsmith.events.EventCodec.fromJson(stored, Provenance.class).reportSha256())
        .isEqualTo(Digests.sha256OfJson(old.report()));
  }

  @Test
  void unknownBuildsAre404AndBadIds400() {
    given()
        .get("/api/builds/" + UUID.randomUUID() + "/manifest")
        .then()
        .statusCode(404)
        .contentType(PROBLEM)
        .body("status", equalTo(404));
    given()
        .get("/api/builds/not-a-uuid/manifest")
        .then()
        .statusCode(400)
        .contentType(PROBLEM)
        .body("status", equalTo(400))
        .body("errors[0].field", equalTo("buildId"));
  }
}
