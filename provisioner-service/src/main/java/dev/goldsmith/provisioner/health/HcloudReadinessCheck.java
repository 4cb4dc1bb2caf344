package dev.goldsmith.provisioner.health;

import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import io.smallrye.health.api.AsyncHealthCheck;
import io.smallrye.mutiny.Uni;

import dev.goldsmith.provisioner.cloud.Cloud;

/** Ready when the Hetzner Cloud API answers an authenticated read (a cheap locations list). */
@Readiness
@ApplicationScoped
public class HcloudReadinessCheck implements AsyncHealthCheck {
  private final Cloud cloud;

  public HcloudReadinessCheck(Cloud cloud) {
    this.cloud = cloud;
  }

  @Override
  public Uni<HealthCheckResponse> call() {
    return cloud
        .ping()
        .ifNoItem()
        .after(Duration.ofSeconds(5))
        .fail()
        .map(v -> HealthCheckResponse.named("hcloud-api").up().build())
        .onFailure()
        .recoverWithItem(
            e ->
                HealthCheckResponse.named("hcloud-api")
                    .down()
                    .withData("error", e.getClass().getSimpleName())
                    .build());
  }
}
