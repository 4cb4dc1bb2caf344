package dev.goldsmith.registry;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * The dead-letter tooling against a broker that does not answer (nothing listens on its port): the
 * API answers 503 problem+json after the configured timeout, never hangs and never answers 500.
 */
@QuarkusTest
@TestProfile(DeadLettersBrokerDownIT.NoBroker.class)
class DeadLettersBrokerDownIT extends RegistryTestSupport {
  private static final String PROBLEM = "application/problem+json";

  /** The dead-letter tooling pointed at a port nobody listens on; the pipeline itself is not. */
  public static class NoBroker implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of(
          "goldsmith.registry.dead-letters.bootstrap-servers", "127.0.0.1:1",
          "goldsmith.registry.dead-letters.timeout", "2s");
    }
  }

  @Test
  void listingReadingAndReplayingAnswer503() {
    given()
        .get("/api/dead-letters")
        .then()
        .statusCode(503)
        .contentType(PROBLEM)
        .body("type", equalTo("https://goldsmith.dev/problems/broker-unavailable"));
    given().get("/api/dead-letters/0/0").then().statusCode(503).contentType(PROBLEM);
    given()
        .header("Authorization", "Bearer test-admin-token")
        .post("/api/dead-letters/0/0/replay")
        .then()
        .statusCode(503)
        .contentType(PROBLEM);
    given()
        .header("Authorization", "Bearer test-admin-token")
        .post("/api/dead-letters/replay")
        .then()
        .statusCode(503)
        .contentType(PROBLEM);
  }
}
