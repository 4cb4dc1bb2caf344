package dev.goldsmith.provisioner.janitor;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Readiness {@code janitor-registry}: DOWN while the janitor's last registry lookup failed (the
 * janitor then reaps nothing that carries a build id). Side-effect free: it only looks at the last
 * lookup, it never asks the registry itself; UP before the first lookup.
 */
@Readiness
@ApplicationScoped
public class RegistryReadiness implements HealthCheck {
  private final RegistryLookup lookup;

  public RegistryReadiness(RegistryLookup lookup) {
    this.lookup = lookup;
  }

  @Override
  public HealthCheckResponse call() {
    return lookup
        .lastFailure()
        .map(
            f ->
                HealthCheckResponse.named("janitor-registry")
                    .down()
                    .withData("url", lookup.url().toString())
                    .withData("since", f.at().toString())
                    .withData("error", f.error())
                    .build())
        .orElseGet(
            () ->
                HealthCheckResponse.named("janitor-registry")
                    .up()
                    .withData("url", lookup.url().toString())
                    .build());
  }
}
