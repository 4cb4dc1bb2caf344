package dev.goldsmith.support.cloud;

import java.time.Clock;
import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import io.smallrye.health.api.AsyncHealthCheck;
import io.smallrye.mutiny.Uni;

import dev.goldsmith.hcloud.HcloudClient;
import dev.goldsmith.hcloud.model.NameQuery;

/**
 * Ready while the Hetzner API answers an authenticated read (one page of locations). Side-effect
 * free, and cached ({@code goldsmith.hcloud.readiness.cache}, 15 s by default) so probes do not
 * spend the API's rate limit.
 */
@Readiness
@ApplicationScoped
public class HetznerReadiness implements AsyncHealthCheck {
  /** Name of the check in the health report. */
  public static final String NAME = "hetzner-api";

  private final CachedCheck check;

  @Inject
  public HetznerReadiness(
      HcloudClient hcloud,
      @ConfigProperty(name = "goldsmith.hcloud.readiness.cache", defaultValue = "15s")
          Duration cache,
      @ConfigProperty(name = "goldsmith.hcloud.readiness.timeout", defaultValue = "5s")
          Duration timeout) {
    this(hcloud, cache, timeout, Clock.systemUTC());
  }

  HetznerReadiness(HcloudClient hcloud, Duration cache, Duration timeout, Clock clock) {
    this.check = new CachedCheck(() -> probe(hcloud, timeout), cache, clock);
  }

  @Override
  public Uni<HealthCheckResponse> call() {
    return check.call();
  }

  static Uni<HealthCheckResponse> probe(HcloudClient hcloud, Duration timeout) {
    String endpoint = hcloud.config().endpoint();
    return hcloud
        .locations()
        .list(NameQuery.all())
        .ifNoItem()
        .after(timeout)
        .fail()
        .map(page -> HealthCheckResponse.named(NAME).up().withData("endpoint", endpoint).build())
        .onFailure()
        .recoverWithItem(
            e ->
                HealthCheckResponse.named(NAME)
                    .down()
                    .withData("endpoint", endpoint)
                    .withData("error", e.getClass().getSimpleName())
                    .build());
  }
}
