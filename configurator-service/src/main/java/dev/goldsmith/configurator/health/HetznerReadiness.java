package dev.goldsmith.configurator.health;

import java.time.Duration;
import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

import dev.goldsmith.configurator.cloud.CloudSshKeys;
import dev.goldsmith.configurator.keys.KeyRegistration;

/**
 * Ready when the Hetzner API answers and the configurator's key is registered there (the
 * provisioner cannot put it on builders otherwise). The API is asked at most every 15 seconds.
 */
@Readiness
@ApplicationScoped
public class HetznerReadiness implements HealthCheck {
  private static final Duration CACHE = Duration.ofSeconds(15);

  private final KeyRegistration registration;
  private final CloudSshKeys keys;
  private volatile HealthCheckResponse cached;
  private volatile Instant cachedAt = Instant.EPOCH;

  @Inject
  public HetznerReadiness(KeyRegistration registration, CloudSshKeys keys) {
    this.registration = registration;
    this.keys = keys;
  }

  @Override
  public HealthCheckResponse call() {
    if (!registration.enabled()) {
      return HealthCheckResponse.named("hetzner-api")
          .up()
          .withData("registration", "disabled")
          .build();
    }
    if (cached != null && Instant.now().isBefore(cachedAt.plus(CACHE))) {
      return cached;
    }
    HealthCheckResponseBuilder b = HealthCheckResponse.named("hetzner-api");
    var key = registration.registered();
    if (key == null) {
      b.down().withData("sshKey", "not registered: " + registration.lastError());
    } else {
      try {
        boolean present = keys.findByFingerprint(key.fingerprint()).isPresent();
        b.status(present).withData("sshKey", present ? key.name() : "no longer registered");
        if (!present) {
          registration.reconcileSoon();
        }
      } catch (RuntimeException e) {
        b.down().withData("error", e.getClass().getSimpleName() + ": " + e.getMessage());
      }
    }
    cached = b.build();
    cachedAt = Instant.now();
    return cached;
  }
}
