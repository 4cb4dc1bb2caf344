package dev.goldsmith.configurator.health;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import dev.goldsmith.configurator.keys.KeyRegistration;

/**
 * Ready when the configurator's key is registered as a Hetzner SSH key (the provisioner cannot put
 * it on builders otherwise). Side-effect free: it only reads what {@link KeyRegistration} found at
 * start and on its schedule; the API itself is checked by service-support's {@code hetzner-api}.
 */
@Readiness
@ApplicationScoped
public class SshKeyReadiness implements HealthCheck {
  /** Name of the check in the health report. */
  public static final String NAME = "configurator-ssh-key";

  private final KeyRegistration registration;

  @Inject
  public SshKeyReadiness(KeyRegistration registration) {
    this.registration = registration;
  }

  @Override
  public HealthCheckResponse call() {
    if (!registration.enabled()) {
      return HealthCheckResponse.named(NAME).up().withData("registration", "disabled").build();
    }
    var key = registration.registered();
    if (key == null) {
      return HealthCheckResponse.named(NAME)
          .down()
          .withData("sshKey", "not registered: " + registration.lastError())
          .build();
    }
    return HealthCheckResponse.named(NAME).up().withData("sshKey", key.name()).build();
  }
}
