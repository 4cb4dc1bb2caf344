package dev.goldsmith.hcloud;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Optional Micrometer binding. Micrometer is an optional dependency of this module: only callers
 * that have it on the class path touch this class.
 */
public final class HcloudMetrics {

  /** Name of the gauge of the remaining rate-limit budget (requests). */
  public static final String RATE_LIMIT_REMAINING = "hcloud.ratelimit.remaining";

  /** Name of the gauge of the rate limit (requests per hour). */
  public static final String RATE_LIMIT_LIMIT = "hcloud.ratelimit.limit";

  /**
   * Name of the counter of HTTP attempts (Prometheus {@code hcloud_api_requests_total}), tags
   * {@code service}, {@code operation} ({@link HcloudObserver#operation}) and {@code status} (the
   * HTTP status, or {@code network_error} when no response came).
   */
  public static final String REQUESTS = "hcloud.api.requests";

  private HcloudMetrics() {}

  /**
   * An observer that counts every attempt in {@value #REQUESTS}; pass it to {@link
   * HcloudClient#create(HcloudConfig, io.vertx.mutiny.core.Vertx, HcloudObserver)}.
   *
   * @param service the calling service's name (e.g. {@code provisioner-service})
   */
  public static HcloudObserver requests(MeterRegistry registry, String service) {
    return (method, operation) ->
        (status, failure) ->
            Counter.builder(REQUESTS)
                .description("hcloud API HTTP requests (each retry counts) by outcome")
                .tag("service", service)
                .tag("operation", operation)
                .tag("status", status == 0 ? "network_error" : Integer.toString(status))
                .register(registry)
                .increment();
  }

  /**
   * Registers {@value #RATE_LIMIT_REMAINING} and {@value #RATE_LIMIT_LIMIT} (tag {@code endpoint})
   * for the budget the client spends from. Both read -1 until the first response.
   */
  public static void bind(HcloudClient client, MeterRegistry registry) {
    String endpoint = client.config().endpoint();
    Gauge.builder(RATE_LIMIT_REMAINING, client, c -> c.rateLimit().remaining())
        .description("Estimated hcloud API requests left in the shared rate-limit budget")
        .tag("endpoint", endpoint)
        .register(registry);
    Gauge.builder(RATE_LIMIT_LIMIT, client, c -> c.rateLimit().limit())
        .description("hcloud API rate limit, requests per hour")
        .tag("endpoint", endpoint)
        .register(registry);
  }
}
