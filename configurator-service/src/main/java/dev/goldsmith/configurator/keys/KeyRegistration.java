package dev.goldsmith.configurator.keys;

import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.quarkus.logging.Log;
import io.quarkus.runtime.StartupEvent;

import dev.goldsmith.configurator.cloud.CloudSshKeys;
import dev.goldsmith.configurator.cloud.CloudSshKeys.RegisteredKey;
import dev.goldsmith.configurator.config.ConfiguratorConfig;
import dev.goldsmith.configurator.configuring.ConfiguratorService;

/**
 * Registers the configurator's public key at start, off the startup thread. When the API is
 * unreachable the attempt is repeated after {@code registration.retry-interval} (a reconcile loop,
 * not a retry of the call: the client already retried); readiness is DOWN until it succeeds.
 */
@ApplicationScoped
public class KeyRegistration {
  private final ConfiguratorConfig config;
  private final ConfiguratorService service;
  private final CloudSshKeys keys;
  private final AtomicReference<RegisteredKey> registered = new AtomicReference<>();
  private final AtomicReference<String> lastError = new AtomicReference<>("not attempted yet");
  private final ScheduledExecutorService scheduler =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "configurator-key-registration");
            t.setDaemon(true);
            return t;
          });

  private final Optional<String> installationId;

  @Inject
  public KeyRegistration(
      ConfiguratorConfig config,
      ConfiguratorService service,
      CloudSshKeys keys,
      @ConfigProperty(name = "goldsmith.installation-id") Optional<String> installationId) {
    this.config = config;
    this.service = service;
    this.keys = keys;
    this.installationId = installationId;
  }

  void onStart(@Observes StartupEvent event) {
    if (config.registration().enabled()) {
      scheduler.execute(this::attempt);
    } else {
      Log.info("SSH key registration is disabled (goldsmith.configurator.registration.enabled)");
    }
  }

  @PreDestroy
  void stop() {
    scheduler.shutdownNow();
  }

  /** Registers now (blocking); returns the registered key. */
  public RegisteredKey registerNow() {
    RegisteredKey key =
        new KeyRegistrar(keys, installationId).ensureRegistered(service.keyPair().publicKey());
    registered.set(key);
    lastError.set(null);
    return key;
  }

  private void attempt() {
    try {
      RegisteredKey key = registerNow();
      Log.infof(
          "configurator SSH key registered id=%d name=%s fingerprint=%s",
          key.id(), key.name(), key.fingerprint());
      scheduler.schedule(
          this::verify, config.registration().checkInterval().toMillis(), TimeUnit.MILLISECONDS);
    } catch (RuntimeException e) {
      lastError.set(e.getClass().getSimpleName() + ": " + e.getMessage());
      Log.warnf(
          "configurator SSH key not registered yet (%s); trying again in %s",
          lastError.get(), config.registration().retryInterval());
      scheduler.schedule(
          this::attempt, config.registration().retryInterval().toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  /**
   * Checks on a schedule (never from a health probe) that the key is still registered; registers it
   * again when someone deleted it. An unreachable API changes nothing: the key is assumed still
   * there and the check comes again.
   */
  private void verify() {
    RegisteredKey key = registered.get();
    if (key == null) {
      return; // an attempt is pending or scheduled
    }
    try {
      if (keys.findByFingerprint(key.fingerprint()).isEmpty()) {
        Log.warnf(
            "configurator SSH key %s is no longer registered; registering it again", key.name());
        registered.set(null);
        lastError.set("the key was removed from the project");
        attempt();
        return;
      }
    } catch (RuntimeException e) {
      Log.warnf(
          "cannot check the configurator SSH key (%s: %s); checking again in %s",
          e.getClass().getSimpleName(), e.getMessage(), config.registration().checkInterval());
    }
    scheduler.schedule(
        this::verify, config.registration().checkInterval().toMillis(), TimeUnit.MILLISECONDS);
  }

  /** The registered key, null until registration succeeded. */
  public RegisteredKey registered() {
    return registered.get();
  }

  /** Why the last attempt failed, null after a success. */
  public String lastError() {
    return lastError.get();
  }

  /** Whether registration runs at all. */
  public boolean enabled() {
    return config.registration().enabled();
  }
}
