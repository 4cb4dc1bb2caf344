package dev.goldsmith.hcloud;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.mutiny.core.Vertx;

class HcloudMetricsTest {

  @Test
  void gaugesFollowTheSharedBudget() {
    Vertx vertx = Vertx.vertx();
    try (ScriptedServer server = new ScriptedServer(vertx);
        HcloudClient client =
            HcloudClient.create(ClientRequestPathTest.fastConfig(server.endpoint()), vertx)) {
      SimpleMeterRegistry registry = new SimpleMeterRegistry();
      HcloudMetrics.bind(client, registry);
      assertThat(registry.get(HcloudMetrics.RATE_LIMIT_REMAINING).gauge().value()).isEqualTo(-1);

      long reset = System.currentTimeMillis() / 1000 + 3600;
      server.expect(
          "GET",
          "/locations/1",
          404,
          ScriptedServer.error("not_found", "x"),
          Map.of(
              "RateLimit-Limit",
              "7200",
              "RateLimit-Remaining",
              "7000",
              "RateLimit-Reset",
              Long.toString(reset)));
      client.locations().getAndAwait(1);

      assertThat(registry.get(HcloudMetrics.RATE_LIMIT_LIMIT).gauge().value()).isEqualTo(7200);
      assertThat(registry.get(HcloudMetrics.RATE_LIMIT_REMAINING).gauge().value())
          .isBetween(6990.0, 7200.0);
      assertThat(
              registry.get(HcloudMetrics.RATE_LIMIT_REMAINING).gauge().getId().getTag("endpoint"))
          .isEqualTo(server.endpoint());
      server.assertDone();
    } finally {
      vertx.closeAndAwait();
    }
  }

  @Test
  void requestsAreCountedByServiceOperationTemplateAndStatus() {
    Vertx vertx = Vertx.vertx();
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    try (ScriptedServer server = new ScriptedServer(vertx);
        HcloudClient client =
            HcloudClient.create(
                ClientRequestPathTest.fastConfig(server.endpoint()),
                vertx,
                HcloudMetrics.requests(registry, "provisioner-service"))) {
      server.expect("GET", "/locations/7", 404, ScriptedServer.error("not_found", "x"), Map.of());
      server.expect("GET", "/locations/8", 404, ScriptedServer.error("not_found", "x"), Map.of());
      client.locations().getAndAwait(7);
      client.locations().getAndAwait(8);
      server.assertDone();

      Counter notFound =
          registry
              .get(HcloudMetrics.REQUESTS)
              .tag("service", "provisioner-service")
              .tag("operation", "GET /locations/{id}")
              .tag("status", "404")
              .counter();
      assertThat(notFound.count()).isEqualTo(2.0);
      assertThat(registry.get(HcloudMetrics.REQUESTS).counters()).hasSize(1);
      assertThat(registry.getMeters())
          .allSatisfy(m -> assertThat(m.getId().getTags().toString()).doesNotContain("/7", "/8"));
    } finally {
      vertx.closeAndAwait();
    }
  }

  @Test
  void operationIsTheMethodAndPathTemplateWithoutIdsOrQuery() {
    assertThat(HcloudObserver.operation("POST", "/servers/123/actions/poweroff"))
        .isEqualTo("POST /servers/{id}/actions/poweroff");
    assertThat(HcloudObserver.operation("GET", "/servers?label_selector=a%3Db&page=2"))
        .isEqualTo("GET /servers");
    assertThat(HcloudObserver.operation("DELETE", "/images/200000001"))
        .isEqualTo("DELETE /images/{id}");
    assertThat(HcloudObserver.operation("GET", "/server_types/cx23"))
        .isEqualTo("GET /server_types/cx23");
  }
}
