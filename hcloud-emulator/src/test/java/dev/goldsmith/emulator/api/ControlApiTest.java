package dev.goldsmith.emulator.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;

import dev.goldsmith.emulator.state.Store;

@QuarkusTest
class ControlApiTest extends ApiTestSupport {

  @BeforeEach
  @AfterEach
  void clean() {
    reset();
  }

  private static String addFault(Map<String, Object> rule) {
    return given()
        .contentType(ContentType.JSON)
        .body(rule)
        .post("/_emulator/faults")
        .then()
        .statusCode(201)
        .extract()
        .path("id");
  }

  @Test
  void errorFaultFiresByCountThenStops() {
    addFault(
        Map.of(
            "method",
            "GET",
            "path",
            "/servers",
            "kind",
            "error",
            "status",
            503,
            "code",
            "unavailable",
            "message",
            "down for a moment",
            "count",
            2));
    api()
        .get("/v1/servers")
        .then()
        .statusCode(503)
        .contentType(ContentType.JSON)
        .body("error.code", equalTo("unavailable"))
        .body("error.message", equalTo("down for a moment"));
    api().get("/v1/servers").then().statusCode(503);
    api().get("/v1/servers").then().statusCode(200);
    // other methods and paths were never affected
    List<Map<String, Object>> faults =
        given().get("/_emulator/faults").jsonPath().getList("faults");
    assertThat(faults.get(0)).containsEntry("fired", 2).containsEntry("count", 0);
  }

  @Test
  void pathGlobsMatchOneOrManySegments() {
    addFault(
        Map.of(
            "method",
            "POST",
            "path",
            "/servers/*/actions/shutdown",
            "code",
            "conflict",
            "status",
            409));
    long id = createRunningServer("glob");
    api()
        .post("/v1/servers/" + id + "/actions/shutdown")
        .then()
        .statusCode(409)
        .body("error.code", equalTo("conflict"));
    api().post("/v1/servers/" + id + "/actions/poweroff").then().statusCode(201);
    given().delete("/_emulator/faults").then().statusCode(204);
    addFault(Map.of("path", "/images/**", "code", "maintenance", "status", 503));
    api().get("/v1/images/114690387").then().statusCode(503);
    api().get("/v1/images").then().statusCode(200);
  }

  @Test
  void probabilityZeroNeverFiresAndOneAlwaysFires() {
    addFault(Map.of("path", "/locations", "probability", 0.0));
    for (int i = 0; i < 20; i++) {
      api().get("/v1/locations").then().statusCode(200);
    }
    given().delete("/_emulator/faults").then().statusCode(204);
    addFault(
        Map.of("path", "/locations", "probability", 1.0, "status", 500, "code", "server_error"));
    api().get("/v1/locations").then().statusCode(500);
  }

  @Test
  void latencyDelaysTheAnswer() {
    addFault(Map.of("path", "/locations", "kind", "latency", "latency_ms", 400, "count", 1));
    long start = System.nanoTime();
    api().get("/v1/locations").then().statusCode(200);
    long tookMs = (System.nanoTime() - start) / 1_000_000;
    assertThat(tookMs).isGreaterThanOrEqualTo(400);
  }

  @Test
  void actionErrorFaultEndsTheActionInError() {
    long id = createRunningServer("ae");
    addFault(
        Map.of(
            "method",
            "POST",
            "path",
            "/servers/*/actions/poweroff",
            "kind",
            "action_error",
            "message",
            "power supply exploded",
            "count",
            1));
    long action =
        api()
            .post("/v1/servers/" + id + "/actions/poweroff")
            .then()
            .statusCode(201)
            .extract()
            .jsonPath()
            .getLong("action.id");
    JsonPath done = awaitAction(action);
    assertThat(done.getString("action.status")).isEqualTo("error");
    assertThat(done.getString("action.error.code")).isEqualTo("action_failed");
    assertThat(done.getString("action.error.message")).isEqualTo("power supply exploded");
    assertThat(serverStatus(id)).isEqualTo("running");
  }

  @Test
  void createFailureFailsTheNextActionToo() {
    addFault(Map.of("method", "POST", "path", "/servers", "kind", "action_error", "count", 1));
    JsonPath r = createServer("doomed", Map.of());
    assertThat(awaitAction(r.getLong("action.id")).getString("action.status")).isEqualTo("error");
    assertThat(awaitAction(r.getLong("next_actions[0].id")).getString("action.status"))
        .isEqualTo("error");
    assertThat(serverStatus(r.getLong("server.id"))).isEqualTo("off");
  }

  @Test
  void rateLimitBurstAnswers429() {
    addFault(Map.of("path", "/**", "kind", "rate_limit", "count", 2));
    api()
        .get("/v1/servers")
        .then()
        .statusCode(429)
        .body("error.code", equalTo("rate_limit_exceeded"))
        .header("RateLimit-Remaining", "0");
    api().get("/v1/locations").then().statusCode(429);
    api().get("/v1/locations").then().statusCode(200);
  }

  @Test
  void invalidRulesAreRejected() {
    given()
        .contentType(ContentType.JSON)
        .body(Map.of("kind", "explode"))
        .post("/_emulator/faults")
        .then()
        .statusCode(400);
    given()
        .contentType(ContentType.JSON)
        .body(Map.of("path", "/x", "colour", "red"))
        .post("/_emulator/faults")
        .then()
        .statusCode(400);
    given()
        .contentType(ContentType.JSON)
        .body(Map.of("path", "/x", "probability", 2))
        .post("/_emulator/faults")
        .then()
        .statusCode(400);
    given().delete("/_emulator/faults/f-nope").then().statusCode(404);
  }

  @Test
  void anInvalidRuleNamesEveryBadFieldAtOnce() {
    JsonPath error =
        given()
            .contentType(ContentType.JSON)
            .body(Map.of("kind", "explode", "path", "x", "count", 0, "colour", "red"))
            .post("/_emulator/faults")
            .then()
            .statusCode(400)
            .extract()
            .jsonPath();
    assertThat(error.getString("error.code")).isEqualTo("invalid_input");
    assertThat(error.getList("error.details.fields.name"))
        .containsExactlyInAnyOrder("kind", "path", "count", "colour");
    assertThat(error.getString("error.message")).contains("kind must be one of [error, latency");
    JsonPath serverError =
        given()
            .contentType(ContentType.JSON)
            .body(Map.of("kind", "sshd_stopped", "seconds", "soon"))
            .post("/_emulator/server-faults")
            .then()
            .statusCode(400)
            .extract()
            .jsonPath();
    assertThat(serverError.getList("error.details.fields.name")).containsExactly("kind");
    assertThat(serverError.getList("error.details.fields[0].messages", String.class))
        .containsExactly(
            "the virtual backend has no kind sshd_stopped; it has [ignore_shutdown, fail]");
  }

  @Test
  void countersPerEndpointAndToken() {
    given().delete("/_emulator/counters").then().statusCode(204);
    api().get("/v1/servers").then().statusCode(200);
    api().get("/v1/servers/77").then().statusCode(404);
    api().get("/v1/servers/78").then().statusCode(404);
    api(OTHER).get("/v1/servers").then().statusCode(200);
    given().get("/v1/servers").then().statusCode(401);
    JsonPath c = given().get("/_emulator/counters").jsonPath();
    assertThat(c.getInt("total")).isEqualTo(5);
    Map<String, Integer> byEndpoint = c.getMap("by_endpoint");
    assertThat(byEndpoint)
        .containsEntry("GET /v1/servers", 3)
        .containsEntry("GET /v1/servers/{id}", 2);
    Map<String, Object> mine = c.getMap("by_token." + Store.keyOf(TOKEN));
    assertThat(mine).containsEntry("total", 3);
    assertThat(c.getMap("by_token")).containsKeys(Store.keyOf(OTHER), "unauthenticated");
    assertThat(c.prettify()).doesNotContain(TOKEN);
  }

  @Test
  void stateDumpAndReset() {
    createServer("dumped", Map.of());
    JsonPath state = given().get("/_emulator/state").jsonPath();
    Map<String, Object> servers = state.getMap("projects." + Store.keyOf(TOKEN) + ".servers");
    assertThat(servers).hasSize(1);
    assertThat(state.prettify()).doesNotContain(TOKEN);
    given().post("/_emulator/reset").then().statusCode(200).body("servers_removed", equalTo(1));
    assertThat(api().get("/v1/servers").jsonPath().getList("servers")).isEmpty();
  }

  @Test
  void serverFaultsReachTheBackend() {
    String id =
        given()
            .contentType(ContentType.JSON)
            .body(
                Map.of(
                    "kind",
                    "fail",
                    "operation",
                    "power_on",
                    "server_name",
                    "weak",
                    "message",
                    "no power"))
            .post("/_emulator/server-faults")
            .then()
            .statusCode(201)
            .extract()
            .path("id");
    assertThat(given().get("/_emulator/server-faults").jsonPath().getList("faults.id"))
        .containsExactly(id);
    JsonPath weak = createServer("weak", Map.of());
    JsonPath start = awaitAction(weak.getLong("next_actions[0].id"));
    assertThat(start.getString("action.status")).isEqualTo("error");
    assertThat(start.getString("action.error.message")).isEqualTo("no power");
    assertThat(serverStatus(weak.getLong("server.id"))).isEqualTo("off");
    // other servers are not affected
    createRunningServer("strong");
    given().delete("/_emulator/server-faults/" + id).then().statusCode(204);
    assertThat(given().get("/_emulator/server-faults").jsonPath().getList("faults")).isEmpty();
    given()
        .contentType(ContentType.JSON)
        .body(Map.of("kind", "bogus"))
        .post("/_emulator/server-faults")
        .then()
        .statusCode(400);
  }

  @Test
  void ignoredShutdownLeavesTheServerStoppingUntilPoweroff() {
    given()
        .contentType(ContentType.JSON)
        .body(Map.of("kind", "ignore_shutdown"))
        .post("/_emulator/server-faults")
        .then()
        .statusCode(201);
    long id = createRunningServer("stubborn");
    long sd = api().post("/v1/servers/" + id + "/actions/shutdown").jsonPath().getLong("action.id");
    assertThat(awaitAction(sd).getString("action.status")).isEqualTo("success");
    // the virtual backend would be off after 200 ms; the fault keeps it stopping
    await()
        .during(Duration.ofMillis(600))
        .atMost(Duration.ofSeconds(3))
        .until(() -> serverStatus(id), "stopping"::equals);
    awaitAction(
        api().post("/v1/servers/" + id + "/actions/poweroff").jsonPath().getLong("action.id"));
    assertThat(serverStatus(id)).isEqualTo("off");
  }

  @Test
  void healthNeedsNoToken() {
    given().get("/_emulator/health").then().statusCode(200).body("backend", equalTo("virtual"));
  }
}
