package dev.goldsmith.support.cloud;

import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.mutiny.core.Vertx;

import dev.goldsmith.hcloud.HcloudClient;
import dev.goldsmith.hcloud.HcloudConfig;
import dev.goldsmith.hcloud.HcloudMetrics;
import dev.goldsmith.hcloud.HcloudObserver;
import dev.goldsmith.support.tracing.BuildTraces;
import dev.goldsmith.support.tracing.HcloudSpans;

/**
 * The one Hetzner client of a service, from {@code hcloud.endpoint} (default the public API) and
 * {@code hcloud.token} (required; services set it from env {@code HCLOUD_TOKEN}), on the
 * application's Vert.x, with its rate-limit gauges and request counter ({@code
 * hcloud_api_requests_total}) bound to the application's meter registry and a span per request.
 */
@ApplicationScoped
public class HcloudClientProducer {
  /** Config key of the API base URL. */
  public static final String ENDPOINT_KEY = "hcloud.endpoint";

  /** Config key of the API token (a secret: never logged). */
  public static final String TOKEN_KEY = "hcloud.token";

  @Produces
  @Singleton
  HcloudClient client(
      Vertx vertx,
      MeterRegistry meters,
      BuildTraces traces,
      @ConfigProperty(name = "quarkus.application.name", defaultValue = "goldsmith") String service,
      @ConfigProperty(name = ENDPOINT_KEY, defaultValue = HcloudConfig.DEFAULT_ENDPOINT)
          String endpoint,
      @ConfigProperty(name = TOKEN_KEY) Optional<String> token) {
    HcloudObserver observer =
        HcloudObserver.both(HcloudMetrics.requests(meters, service), new HcloudSpans(traces));
    HcloudClient client = HcloudClient.create(config(endpoint, token), vertx, observer);
    HcloudMetrics.bind(client, meters);
    return client;
  }

  void close(@Disposes HcloudClient client) {
    client.close();
  }

  /**
   * The client configuration, checked: the token must be set and not blank, the endpoint an http(s)
   * URL.
   *
   * @throws IllegalStateException naming the key (never the value) when the token is missing
   * @throws IllegalArgumentException when the endpoint is not an http(s) URL
   */
  public static HcloudConfig config(String endpoint, Optional<String> token) {
    String t =
        token
            .map(String::trim)
            .filter(v -> !v.isEmpty())
            .orElseThrow(
                () ->
                    new IllegalStateException(
                        TOKEN_KEY
                            + " (env HCLOUD_TOKEN) is not set: the Hetzner API needs a token"));
    String e = endpoint == null || endpoint.isBlank() ? HcloudConfig.DEFAULT_ENDPOINT : endpoint;
    return HcloudConfig.of(e, t);
  }
}
