package dev.goldsmith.support.messaging;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Readiness of the event consumers ({@value ConsumerHealth#NAME}): DOWN while a record waits out a
 * failed dependency. Readiness, not liveness: a restart would not bring the dependency back, and
 * the wait is the intended behaviour.
 */
@Readiness
@ApplicationScoped
public class ConsumerReadiness implements HealthCheck {
  private final ConsumerHealth health;

  public ConsumerReadiness(ConsumerHealth health) {
    this.health = health;
  }

  @Override
  public HealthCheckResponse call() {
    return health.call();
  }
}
