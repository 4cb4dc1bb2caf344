package dev.goldsmith.registry;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.startsWith;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

import dev.goldsmith.events.EventCodec;
import dev.goldsmith.events.ImagePromoted;
import dev.goldsmith.events.Topics;
import dev.goldsmith.events.Verdict;

@QuarkusTest
class ApiIT extends RegistryTestSupport {
  private static final String ADMIN = "Bearer test-admin-token";
  private static final String READER = "Bearer test-reader-token";
  private static final String PROBLEM = "application/problem+json";

  @BeforeEach
  void consumerReady() {
    awaitConsumerReady();
  }

  @Test
  void openApiDocumentsEveryVersionAndBuildState() {
    String doc =
        given()
            .queryParam("format", "json")
            .get("/q/openapi")
            .then()
            .statusCode(200)
            .extract()
            .asString();
    for (dev.goldsmith.registry.domain.VersionStatus s :
        dev.goldsmith.registry.domain.VersionStatus.values()) {
      assertThat(doc).contains("\"" + s.name() + "\"");
    }
    for (dev.goldsmith.registry.domain.BuildStatus s :
        dev.goldsmith.registry.domain.BuildStatus.values()) {
      assertThat(doc).contains("\"" + s.name() + "\"");
    }
    assertThat(doc).contains("/api/families/{family}/foreign-snapshots", "/api/operations/parked");
  }

  @Test
  void promotedLookupRollbackRevocationAndAuthorization() {
    given()
        .get("/api/families/reg-api/promoted")
        .then()
        .statusCode(404)
        .contentType(PROBLEM)
        .body("status", equalTo(404))
        .body("type", startsWith("https://goldsmith.dev/problems/"));

    Candidate v1 = candidate("reg-api");
    send(verdict(v1, Verdict.PASSED));
    awaitPromoted(v1);
    String v1Tag =
        given()
            .get("/api/families/reg-api/promoted")
            .then()
            .statusCode(200)
            .header("Cache-Control", "no-cache")
            .body("imageId", equalTo((int) v1.imageId()))
            .body("version", equalTo(v1.spec().version()))
            .body("promotedAt", notNullValue())
            .extract()
            .header("ETag");
    assertThat(v1Tag).as("a strong entity tag").matches("\"[0-9a-f]{32}\"");
    // A polling consumer that has the promoted image gets 304 and no body while it stays promoted.
    for (String ifNoneMatch : List.of(v1Tag, "W/" + v1Tag, "\"other\", " + v1Tag, "*")) {
      String body =
          given()
              .header("If-None-Match", ifNoneMatch)
              .get("/api/families/reg-api/promoted")
              .then()
              .statusCode(304)
              .header("ETag", v1Tag)
              .extract()
              .asString();
      assertThat(body).as("304 for %s", ifNoneMatch).isEmpty();
    }
    given()
        .header("If-None-Match", "\"other\"")
        .get("/api/families/reg-api/promoted")
        .then()
        .statusCode(200)
        .header("ETag", v1Tag);

    Candidate v2 = candidate("reg-api");
    send(verdict(v2, Verdict.PASSED));
    awaitPromoted(v2);
    // The lookup is served from memory (an hour in tests): the promotion's commit dropped it.
    String v2Tag =
        given()
            .header("If-None-Match", v1Tag)
            .get("/api/families/reg-api/promoted")
            .then()
            .statusCode(200)
            .body("version", equalTo(v2.spec().version()))
            .extract()
            .header("ETag");
    assertThat(v2Tag).isNotEqualTo(v1Tag);
    await().atMost(Duration.ofSeconds(30)).until(() -> cleanupDone(v2));
    assertThat(image(v1.imageId())).as("kept for rollback (keep_previous 1)").isPresent();

    String rollback = "/api/families/reg-api/versions/" + v1.spec().version() + "/promote";
    given()
        .post(rollback)
        .then()
        .statusCode(401)
        .contentType(PROBLEM)
        .header("WWW-Authenticate", startsWith("Bearer"));
    given()
        .header("Authorization", "Bearer nope")
        .post(rollback)
        .then()
        .statusCode(401)
        .contentType(PROBLEM);
    given()
        .header("Authorization", READER)
        .post(rollback)
        .then()
        .statusCode(403)
        .contentType(PROBLEM);

    given()
        .header("Authorization", ADMIN)
        .contentType("application/json")
        .body("{}")
        .post(rollback)
        .then()
        .statusCode(400)
        .contentType(PROBLEM)
        .body("errors.field", hasItem("reason"));
    given()
        .header("Authorization", ADMIN)
        .contentType("application/json")
        .body("{\"reason\":\"v2 breaks the vault unseal\"}")
        .post(rollback)
        .then()
        .statusCode(200)
        .body("status", equalTo("PROMOTED"));
    ImagePromoted rolledBack =
        awaitRecords(Topics.IMAGE_PROMOTED, v1.buildId(), 2).stream()
            .map(r -> EventCodec.fromJson(r.value(), ImagePromoted.class))
            .filter(e -> !ImagePromoted.AUTOMATIC_ACTOR.equals(e.actor()))
            .findFirst()
            .orElseThrow();
    assertThat(rolledBack.actor()).isEqualTo("ops-alice");
    assertThat(rolledBack.reason()).isEqualTo("v2 breaks the vault unseal");
    assertThat(rolledBack.previousImageId()).isEqualTo(v2.imageId());
    given()
        .get("/api/builds/" + v1.buildId())
        .then()
        .statusCode(200)
        .body("timeline.outcome", hasItem("promoted by ops-alice"))
        .body("timeline.event.reason", hasItem("v2 breaks the vault unseal"));
    given()
        .get("/api/families/reg-api/promoted")
        .then()
        .statusCode(200)
        .body("version", equalTo(v1.spec().version()));
    awaitPromoted(v1);
    assertThat(image(v2.imageId())).as("the rolled-back-from version is kept").isPresent();

    String v2Path = "/api/families/reg-api/versions/" + v2.spec().version();
    given()
        .header("Authorization", ADMIN)
        .contentType("application/json")
        .body("{\"reason\":\"unseal bug\"}")
        .post(v2Path + "/revoke")
        .then()
        .statusCode(200)
        .body("status", equalTo("REVOKED"))
        .body("revokedBy", equalTo("ops-alice"))
        .body("revokeReason", equalTo("unseal bug"));
    given()
        .header("Authorization", ADMIN)
        .contentType("application/json")
        .body("{\"reason\":\"try again\"}")
        .post(v2Path + "/promote")
        .then()
        .statusCode(409)
        .contentType(PROBLEM)
        .body("detail", org.hamcrest.Matchers.containsString("REVOKED"));
    await().atMost(Duration.ofSeconds(30)).until(() -> image(v2.imageId()).isEmpty());

    given()
        .header("Authorization", ADMIN)
        .contentType("application/json")
        .body("{\"reason\":\"no\"}")
        .post("/api/families/reg-api/versions/" + v1.spec().version() + "/revoke")
        .then()
        .statusCode(409)
        .contentType(PROBLEM);

    given()
        .get("/api/families/reg-api/versions")
        .then()
        .statusCode(200)
        .body("totalItems", equalTo(2))
        .body("items.status", hasItem("REVOKED"))
        .body("items.status", hasItem("PROMOTED"));

    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                given()
                    .get("/api/builds/" + v1.buildId())
                    .then()
                    .extract()
                    .<List<String>>path("timeline.outcome")
                    .containsAll(List.of("accepted", "passed", "promoted")));
    Response detail = given().get("/api/builds/" + v1.buildId());
    detail
        .then()
        .statusCode(200)
        .body("build.status", equalTo("PROMOTED"))
        .body("verificationReport.summary", startsWith("verdict PASSED"));
    // One promoted build per family: the rolled-back-from, revoked v2 no longer says PROMOTED.
    given()
        .queryParam("family", "reg-api")
        .queryParam("status", "promoted")
        .get("/api/builds")
        .then()
        .statusCode(200)
        .body("totalItems", equalTo(1))
        .body("items[0].buildId", equalTo(v1.buildId().toString()));
    given()
        .queryParam("family", "reg-api")
        .queryParam("size", 1)
        .get("/api/builds")
        .then()
        .statusCode(200)
        .body("items", hasSize(1))
        .body("totalItems", equalTo(2))
        .body("totalPages", equalTo(2));
  }

  @Test
  void familiesAreListedWithDetail() {
    given().get("/api/families").then().statusCode(200).body("name", hasItem("reg-api"));
    given()
        .get("/api/families/reg-api")
        .then()
        .statusCode(200)
        .body("keepPrevious", equalTo(1))
        .body("serverType", equalTo("cx23"));
  }

  @Test
  void healthCoversDatabaseKafkaAndHetznerAndMetricsCountOutcomes() {
    given()
        .get("/q/health/ready")
        .then()
        .statusCode(200)
        .body("status", equalTo("UP"))
        .body("checks.name", hasItem("hetzner-api"))
        .body("checks.name", hasItem("Database connections health check"))
        .body("checks.name", hasItem("SmallRye Reactive Messaging - readiness check"));
    given()
        .get("/q/metrics")
        .then()
        .statusCode(200)
        .body(
            org.hamcrest.Matchers.containsString(
                "goldsmith_registry_builds_total{outcome=\"rejected\"}"));
  }

  @Test
  void badInputGetsProblemDetails() {
    given()
        .queryParam("size", 0)
        .queryParam("status", "nope")
        .queryParam("from", "yesterday")
        .get("/api/builds")
        .then()
        .statusCode(400)
        .contentType(PROBLEM)
        .body("status", equalTo(400))
        .body("errors.field", org.hamcrest.Matchers.containsInAnyOrder("size", "status", "from"));
    given().get("/api/builds/not-a-uuid").then().statusCode(400).contentType(PROBLEM);
    given().get("/api/families/Bad_Name/promoted").then().statusCode(400).contentType(PROBLEM);
    given().get("/api/families/no-such-family").then().statusCode(404).contentType(PROBLEM);
    given().get("/api/nothing/here").then().statusCode(404).contentType(PROBLEM);
    given().get("/api/families/reg-api/nothing").then().statusCode(404).contentType(PROBLEM);
    given()
        .header("Authorization", ADMIN)
        .contentType("application/json")
        .body("{\"reason\":\"test\"}")
        .post("/api/families/reg-api/versions/20000101-v9/promote")
        .then()
        .statusCode(404)
        .contentType(PROBLEM);
  }

  private void awaitPromoted(Candidate c) {
    await()
        .atMost(Duration.ofSeconds(45))
        .until(
            () ->
                image(c.imageId())
                    .filter(i -> "true".equals(i.labels().get("goldsmith.dev/promoted")))
                    .filter(i -> i.protection().delete())
                    .isPresent());
  }

  private boolean cleanupDone(Candidate c) {
    return io.quarkus.narayana.jta.QuarkusTransaction.requiringNew()
        .call(() -> dev.goldsmith.registry.domain.CloudTask.Step.DONE == tasksOf(c).step);
  }

  @jakarta.inject.Inject dev.goldsmith.registry.domain.CloudTaskRepository tasks;

  private dev.goldsmith.registry.domain.CloudTask tasksOf(Candidate c) {
    return tasks
        .find(
            "buildId = ?1 and kind = ?2",
            c.buildId(),
            dev.goldsmith.registry.domain.CloudTask.Kind.PROMOTE)
        .firstResult();
  }
}
