package dev.goldsmith.hcloud;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;

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
}
