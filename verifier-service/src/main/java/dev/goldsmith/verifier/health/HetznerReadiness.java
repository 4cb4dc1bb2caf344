package dev.goldsmith.verifier.health;

import java.time.Duration;
import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

import dev.goldsmith.verifier.service.VerificationService;

/**
 * Ready when the Hetzner API answers and the verifier's SSH key is registered there (the first
 * successful check registers it). Cached for 15 s so probes do not spend the API rate limit.
 */
@Readiness
@ApplicationScoped
public class HetznerReadiness implements HealthCheck {
  private static final Duration CACHE = Duration.ofSeconds(15);

  private final VerificationService service;
  private volatile HealthCheckResponse cached;
  private volatile Instant cachedAt = Instant.EPOCH;

  @Inject
  public HetznerReadiness(VerificationService service) {
    this.service = service;
  }

  @Override
  public HealthCheckResponse call() {
    if (cached != null && Instant.now().isBefore(cachedAt.plus(CACHE))) {
      return cached;
    }
    HealthCheckResponseBuilder b = HealthCheckResponse.named("hetzner-api");
    try {
      long id = service.ensureKeyRegistered();
      b.up().withData("sshKeyId", id);
    } catch (RuntimeException e) {
      b.down().withData("error", e.getClass().getSimpleName() + ": " + e.getMessage());
    }
    cached = b.build();
    cachedAt = Instant.now();
    return cached;
  }
}
