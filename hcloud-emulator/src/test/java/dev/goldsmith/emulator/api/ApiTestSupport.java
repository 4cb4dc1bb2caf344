package dev.goldsmith.emulator.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Map;

import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

/** Shared helpers of the API tests: the test token, waiting for actions, resetting state. */
abstract class ApiTestSupport {
  static final String TOKEN = "test-token";
  static final String OTHER = "other-token";
  static final String READONLY = "readonly-token";

  static RequestSpecification api() {
    return api(TOKEN);
  }

  static RequestSpecification api(String token) {
    return given().header("Authorization", "Bearer " + token);
  }

  static RequestSpecification json(Object body) {
    return api().contentType(ContentType.JSON).body(body);
  }

  static void reset() {
    given().post("/_emulator/reset").then().statusCode(200);
    given()
        .contentType(ContentType.JSON)
        .body(Map.of("enabled", true, "limit", 3600, "refill_per_second", 1))
        .post("/_emulator/rate-limit")
        .then()
        .statusCode(200);
  }

  /** Makes one action command last at least this long (control API). */
  static void slow(String command, long millis) {
    given()
        .contentType(ContentType.JSON)
        .body(Map.of(command, millis))
        .post("/_emulator/action-durations")
        .then()
        .statusCode(200);
  }

  /** Creates a server and returns the whole 201 body. */
  static JsonPath createServer(String name, Map<String, Object> extra) {
    Map<String, Object> body = new java.util.HashMap<>();
    body.put("name", name);
    body.put("server_type", "cx23");
    body.put("image", "debian-12");
    body.putAll(extra);
    Response r = json(body).post("/v1/servers");
    assertThat(r.statusCode()).as(r.asString()).isEqualTo(201);
    return r.jsonPath();
  }

  static long createRunningServer(String name) {
    JsonPath created = createServer(name, Map.of());
    awaitAction(created.getLong("action.id"));
    awaitAction(created.getLong("next_actions[0].id"));
    return created.getLong("server.id");
  }

  /** Polls an action until it is no longer running; returns its final JSON. */
  static JsonPath awaitAction(long id) {
    return await()
        .alias("action " + id + " done")
        .atMost(Duration.ofSeconds(40))
        .pollInterval(Duration.ofMillis(50))
        .until(
            () -> api().get("/v1/actions/" + id).then().statusCode(200).extract().jsonPath(),
            a -> !a.getString("action.status").equals("running"));
  }

  static String serverStatus(long id) {
    return api().get("/v1/servers/" + id).then().statusCode(200).extract().path("server.status");
  }

  /** Polls the server until it has the status, or fails after 30 s. */
  static void awaitStatus(long id, String status) {
    await()
        .alias("server " + id + " " + status)
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(50))
        .until(() -> serverStatus(id), status::equals);
  }
}
