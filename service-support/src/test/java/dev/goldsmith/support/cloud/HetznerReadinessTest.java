package dev.goldsmith.support.cloud;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.eclipse.microprofile.health.HealthCheckResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.sun.net.httpserver.HttpServer;

import dev.goldsmith.hcloud.HcloudClient;
import dev.goldsmith.hcloud.HcloudConfig;
import dev.goldsmith.hcloud.RetrySettings;

/**
 * Against a local HTTP server standing in for the API: what is asked, how often, and the answer.
 */
class HetznerReadinessTest {
  private static final String LOCATIONS =
      "{\"locations\":[],\"meta\":{\"pagination\":{\"page\":1,\"per_page\":50,"
          + "\"previous_page\":null,\"next_page\":null,\"last_page\":1,\"total_entries\":0}}}";
  private final List<String> requests = new CopyOnWriteArrayList<>();
  private volatile int status = 200;
  private HttpServer server;
  private HcloudClient client;
  private MutableClock clock;

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/",
        exchange -> {
          requests.add(exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath());
          try (InputStream in = exchange.getRequestBody()) {
            in.readAllBytes();
          }
          byte[] body =
              (status == 200
                      ? LOCATIONS
                      : "{\"error\":{\"code\":\"unauthorized\",\"message\":\"bad token\"}}")
                  .getBytes(StandardCharsets.UTF_8);
          exchange.getResponseHeaders().add("Content-Type", "application/json");
          exchange.sendResponseHeaders(status, body.length);
          exchange.getResponseBody().write(body);
          exchange.close();
        });
    server.start();
    HcloudConfig config =
        HcloudConfig.of("http://127.0.0.1:" + server.getAddress().getPort() + "/v1", "t")
            .withRetry(
                new RetrySettings(
                    1, Duration.ofMillis(10), Duration.ofMillis(10), 0, Duration.ofSeconds(1)));
    client = HcloudClient.create(config);
    clock = new MutableClock(Instant.parse("2026-12-01T10:00:00Z"));
  }

  @AfterEach
  void stop() {
    client.close();
    server.stop(0);
  }

  @Test
  void upWhileTheApiAnswersAndAskedOncePerCachePeriodWithAReadOnly() {
    HetznerReadiness check =
        new HetznerReadiness(client, Duration.ofSeconds(15), Duration.ofSeconds(5), clock);
    HealthCheckResponse first = check.call().await().atMost(Duration.ofSeconds(10));
    assertThat(first.getStatus()).isEqualTo(HealthCheckResponse.Status.UP);
    assertThat(first.getName()).isEqualTo("hetzner-api");
    check.call().await().atMost(Duration.ofSeconds(10));
    clock.advance(Duration.ofSeconds(14));
    check.call().await().atMost(Duration.ofSeconds(10));
    assertThat(requests).containsExactly("GET /v1/locations");

    clock.advance(Duration.ofSeconds(2));
    check.call().await().atMost(Duration.ofSeconds(10));
    assertThat(requests).containsExactly("GET /v1/locations", "GET /v1/locations");
  }

  @Test
  void downWhenTheApiRefusesAndUpAgainWhenItAnswers() {
    HetznerReadiness check =
        new HetznerReadiness(client, Duration.ofSeconds(15), Duration.ofSeconds(5), clock);
    status = 401;
    HealthCheckResponse down = check.call().await().atMost(Duration.ofSeconds(10));
    assertThat(down.getStatus()).isEqualTo(HealthCheckResponse.Status.DOWN);
    assertThat(down.getData().orElseThrow()).containsEntry("error", "HcloudApiException");
    assertThat(down.getData().orElseThrow().toString()).doesNotContain("Bearer");

    status = 200;
    clock.advance(Duration.ofSeconds(16));
    assertThat(check.call().await().atMost(Duration.ofSeconds(10)).getStatus())
        .isEqualTo(HealthCheckResponse.Status.UP);
  }

  @Test
  void downWhenTheApiIsUnreachable() {
    server.stop(0);
    HetznerReadiness check =
        new HetznerReadiness(client, Duration.ofSeconds(15), Duration.ofSeconds(5), clock);
    assertThat(check.call().await().atMost(Duration.ofSeconds(10)).getStatus())
        .isEqualTo(HealthCheckResponse.Status.DOWN);
  }

  static final class MutableClock extends Clock {
    private volatile Instant now;

    MutableClock(Instant now) {
      this.now = now;
    }

    void advance(Duration d) {
      now = now.plus(d);
    }

    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public ZoneOffset getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }
  }
}
