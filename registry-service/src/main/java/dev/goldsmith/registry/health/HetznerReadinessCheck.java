package dev.goldsmith.registry.health;

import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import io.smallrye.health.api.AsyncHealthCheck;
import io.smallrye.mutiny.Uni;

import dev.goldsmith.hcloud.HcloudClient;
import dev.goldsmith.hcloud.model.NameQuery;

/** Ready only while the Hetzner API answers (intake and promotion need it). */
@Readiness
@ApplicationScoped
public class HetznerReadinessCheck implements AsyncHealthCheck {
  private final HcloudClient hcloud;

  public HetznerReadinessCheck(HcloudClient hcloud) {
    this.hcloud = hcloud;
  }

  @Override
  public Uni<HealthCheckResponse> call() {
    return hcloud
        .locations()
        .list(NameQuery.all())
        .ifNoItem()
        .after(Duration.ofSeconds(10))
        .fail()
        .map(
            page ->
                HealthCheckResponse.named("hetzner-api")
                    .up()
                    .withData("endpoint", hcloud.config().endpoint())
                    .build())
        .onFailure()
        .recoverWithItem(
            e ->
                HealthCheckResponse.named("hetzner-api")
                    .down()
                    .withData("endpoint", hcloud.config().endpoint())
                    .withData("error", e.getClass().getSimpleName())
                    .build());
  }
}
