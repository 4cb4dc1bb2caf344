package dev.goldsmith.verifier.health;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;

import dev.goldsmith.verifier.service.VerificationService;

/**
 * Ready when the verifier's SSH key is registered on Hetzner. The check only looks: the key is
 * registered at startup, and again every {@value #RETRY_SECONDS} s until that succeeds (the API
 * itself is watched by service-support's {@code hetzner-api} check).
 */
@Readiness
@ApplicationScoped
public class VerifierKeyReadiness implements HealthCheck {
  /** Name of the check in the health report. */
  public static final String NAME = "verifier-ssh-key";

  static final long RETRY_SECONDS = 15;

  private final VerificationService service;
  private volatile String lastError = "not registered yet";
  private volatile ScheduledExecutorService registrar;

  @Inject
  public VerifierKeyReadiness(VerificationService service) {
    this.service = service;
  }

  void onStart(@Observes StartupEvent event) {
    registrar =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "verifier-key-registration");
              t.setDaemon(true);
              return t;
            });
    registrar.execute(this::register);
  }

  void onStop(@Observes ShutdownEvent event) {
    if (registrar != null) {
      registrar.shutdownNow();
    }
  }

  private void register() {
    try {
      service.ensureKeyRegistered();
    } catch (RuntimeException e) {
      lastError = e.getClass().getSimpleName() + ": " + e.getMessage();
      Log.warnf(
          "verifier SSH key not registered yet, trying again in %d s: %s",
          RETRY_SECONDS, lastError);
      if (!registrar.isShutdown()) {
        registrar.schedule(this::register, RETRY_SECONDS, TimeUnit.SECONDS);
      }
    }
  }

  @Override
  public HealthCheckResponse call() {
    return service
        .registeredKeyId()
        .map(id -> HealthCheckResponse.named(NAME).up().withData("sshKeyId", id).build())
        .orElseGet(
            () -> HealthCheckResponse.named(NAME).down().withData("error", lastError).build());
  }
}
