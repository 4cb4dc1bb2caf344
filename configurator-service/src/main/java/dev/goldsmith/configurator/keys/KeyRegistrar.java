package dev.goldsmith.configurator.keys;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import dev.goldsmith.configurator.cloud.CloudSshKeys;
import dev.goldsmith.configurator.cloud.CloudSshKeys.RegisteredKey;
import dev.goldsmith.events.Ownership;
import dev.goldsmith.support.cloud.GoldsmithLabels;
import dev.goldsmith.support.ssh.SshPublicKey;

/**
 * Makes sure the configurator's public key is a Hetzner SSH key labelled {@code
 * goldsmith.dev/managed=true}, {@code goldsmith.dev/role=configurator}: idempotent by fingerprint,
 * so restarts and several instances sharing one key pair register it once.
 */
public final class KeyRegistrar {
  public static final String SERVICE = GoldsmithLabels.ROLE_CONFIGURATOR;
  public static final Map<String, String> LABELS =
      Map.copyOf(GoldsmithLabels.serviceKey(GoldsmithLabels.ROLE_CONFIGURATOR));

  private final CloudSshKeys keys;
  private final Map<String, String> labels;

  /**
   * @param installationId {@code goldsmith.installation-id}: the key carries it as {@code
   *     goldsmith.dev/installation} next to {@link #LABELS}, so only this installation's janitor
   *     and cleanup may ever touch it
   */
  public KeyRegistrar(CloudSshKeys keys, Optional<String> installationId) {
    this.keys = keys;
    Map<String, String> l = new HashMap<>(LABELS);
    installationId
        .map(String::trim)
        .filter(s -> !s.isEmpty())
        .ifPresent(id -> l.put(Ownership.INSTALLATION, id));
    this.labels = Map.copyOf(l);
  }

  /** Registers {@code key} unless it already is, fixes missing labels; returns the API's key. */
  public RegisteredKey ensureRegistered(SshPublicKey key) {
    String fingerprint = key.md5Fingerprint();
    RegisteredKey existing = keys.findByFingerprint(fingerprint).orElse(null);
    if (existing == null) {
      existing =
          keys.create(key.hetznerName(SERVICE), key.line(), labels)
              // Lost a race with another instance: the key exists now.
              .or(() -> keys.findByFingerprint(fingerprint))
              .orElseThrow(
                  () ->
                      new IllegalStateException(
                          "the API refused SSH key "
                              + key.hetznerName(SERVICE)
                              + " as a duplicate, but no key has fingerprint "
                              + fingerprint
                              + " (a key of another fingerprint holds the name?)"));
    }
    if (!existing.labels().entrySet().containsAll(labels.entrySet())) {
      Map<String, String> merged = new HashMap<>(existing.labels());
      merged.putAll(labels);
      existing = keys.relabel(existing.id(), merged);
    }
    return existing;
  }
}
