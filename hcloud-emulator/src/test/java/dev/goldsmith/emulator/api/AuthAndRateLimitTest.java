package dev.goldsmith.emulator.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

@QuarkusTest
class AuthAndRateLimitTest extends ApiTestSupport {

  @BeforeEach
  @AfterEach
  void clean() {
    reset();
  }

  @Test
  void missingOrUnknownTokenIsUnauthorized() {
    given()
        .get("/v1/servers")
        .then()
        .statusCode(401)
        .contentType(ContentType.JSON)
        .body("error.code", equalTo("unauthorized"))
        .body("error.details", equalTo(null));
    api("wrong")
        .get("/v1/servers")
        .then()
        .statusCode(401)
        .body("error.code", equalTo("unauthorized"));
    given()
        .header("Authorization", "Basic dGVzdC10b2tlbg==")
        .get("/v1/servers")
        .then()
        .statusCode(401);
  }

  @Test
  void everyTokenIsItsOwnProject() {
    createServer("mine", Map.of());
    assertThat(api(OTHER).get("/v1/servers").jsonPath().getList("servers")).isEmpty();
    long id = api().get("/v1/servers").jsonPath().getLong("servers[0].id");
    api(OTHER).get("/v1/servers/" + id).then().statusCode(404);
    // the same name is free in the other project
    api(OTHER)
        .contentType(ContentType.JSON)
        .body(Map.of("name", "mine", "server_type", "cx23", "image", "debian-12"))
        .post("/v1/servers")
        .then()
        .statusCode(201);
  }

  @Test
  void readOnlyTokenMayOnlyRead() {
    api(READONLY).get("/v1/servers").then().statusCode(200);
    api(READONLY)
        .contentType(ContentType.JSON)
        .body(Map.of("name", "x", "public_key", "y"))
        .post("/v1/ssh_keys")
        .then()
        .statusCode(403)
        .body("error.code", equalTo("token_readonly"));
  }

  @Test
  void everyResponseCarriesRateLimitHeaders() {
    // no refill during the test, so every request costs exactly one
    given()
        .contentType(ContentType.JSON)
        .body(Map.of("refill_per_second", 0.0001))
        .post("/_emulator/rate-limit")
        .then()
        .statusCode(200);
    long startedAt = System.currentTimeMillis() / 1000;
    Response ok = api().get("/v1/locations");
    Response notFound = api().get("/v1/servers/1");
    for (Response r : new Response[] {ok, notFound}) {
      assertThat(r.header("RateLimit-Limit")).isEqualTo("3600");
      assertThat(Integer.parseInt(r.header("RateLimit-Remaining"))).isBetween(0, 3599);
      assertThat(Long.parseLong(r.header("RateLimit-Reset"))).isGreaterThanOrEqualTo(startedAt);
      assertThat(r.header("X-Correlation-Id")).isNotBlank();
    }
    int before = Integer.parseInt(api().get("/v1/locations").header("RateLimit-Remaining"));
    int after = Integer.parseInt(api().get("/v1/locations").header("RateLimit-Remaining"));
    assertThat(after).isEqualTo(before - 1);
  }

  @Test
  void emptyBucketAnswers429UntilRefilled() {
    given()
        .contentType(ContentType.JSON)
        .body(Map.of("limit", 5, "refill_per_second", 0.001, "enabled", true))
        .post("/_emulator/rate-limit")
        .then()
        .statusCode(200);
    for (int i = 0; i < 5; i++) {
      api()
          .get("/v1/locations")
          .then()
          .statusCode(200)
          .header("RateLimit-Remaining", String.valueOf(4 - i));
    }
    api()
        .get("/v1/locations")
        .then()
        .statusCode(429)
        .contentType(ContentType.JSON)
        .body("error.code", equalTo("rate_limit_exceeded"))
        .header("RateLimit-Limit", "5")
        .header("RateLimit-Remaining", "0");
    // another project has its own bucket
    api(OTHER).get("/v1/locations").then().statusCode(200);
    // switched off: headers stay, requests pass
    given()
        .contentType(ContentType.JSON)
        .body(Map.of("enabled", false))
        .post("/_emulator/rate-limit")
        .then()
        .statusCode(200);
    for (int i = 0; i < 7; i++) {
      api().get("/v1/locations").then().statusCode(200).header("RateLimit-Limit", "5");
    }
  }

  @Test
  void bucketRefillsOverTime() {
    given()
        .contentType(ContentType.JSON)
        .body(Map.of("limit", 2, "refill_per_second", 20))
        .post("/_emulator/rate-limit")
        .then()
        .statusCode(200);
    api().get("/v1/locations").then().statusCode(200);
    api().get("/v1/locations").then().statusCode(200);
    // without a refill the bucket stays empty and every later request is 429
    await()
        .atMost(Duration.ofSeconds(5))
        .pollInterval(Duration.ofMillis(100))
        .until(() -> api().get("/v1/locations").statusCode(), s -> s == 200);
  }
}
