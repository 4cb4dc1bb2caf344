package dev.goldsmith.configurator.cloud;

import java.util.Map;
import java.util.Optional;

/** The Hetzner SSH keys the configurator needs: find by fingerprint, create, relabel. */
public interface CloudSshKeys {

  /** A registered key. */
  record RegisteredKey(long id, String name, String fingerprint, Map<String, String> labels) {}

  /** The key with this MD5 fingerprint, if registered. */
  Optional<RegisteredKey> findByFingerprint(String md5Fingerprint);

  /**
   * Registers a public key; returns the key, or empty when the API refused it as a duplicate
   * (another instance registered it first).
   */
  Optional<RegisteredKey> create(String name, String publicKey, Map<String, String> labels);

  /** Replaces the labels of a key. */
  RegisteredKey relabel(long id, Map<String, String> labels);
}
