package dev.goldsmith.provisioner;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItem;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;

import dev.goldsmith.provisioner.cloud.Cloud;

/** /q/health reports Kafka and the Hetzner API; /q/metrics carries the provisioner's meters. */
@QuarkusTest
class OpsIT {
  @Inject Cloud cloud;

  /** Kafka readiness turns UP once the consumers have their partitions; allow for that. */
  private static void awaitReady() {
    await()
        .atMost(java.time.Duration.ofSeconds(90))
        .pollInterval(java.time.Duration.ofMillis(500))
        .until(() -> given().when().get("/q/health/ready").statusCode() == 200);
  }

  @Test
  void readinessIncludesTheHetznerApiCheckAndIsUp() throws InterruptedException {
    awaitReady();
    given()
        .when()
        .get("/q/health/ready")
        .then()
        .statusCode(200)
        .body("status", org.hamcrest.Matchers.equalTo("UP"))
        .body("checks.name", hasItem("hetzner-api"));
  }

  @Test
  void metricsExposeApiCallsCountedByOperation() throws InterruptedException {
    awaitReady();
    cloud.image(1L).await().atMost(java.time.Duration.ofSeconds(30));

    given()
        .when()
        .get("/q/metrics")
        .then()
        .statusCode(200)
        .body(containsString("goldsmith_provisioner_api_calls_total{"))
        .body(containsString("op=\"images.get\""))
        .body(containsString("hcloud_ratelimit_remaining"));
  }
}
