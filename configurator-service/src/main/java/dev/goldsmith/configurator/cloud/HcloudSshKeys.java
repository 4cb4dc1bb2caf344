package dev.goldsmith.configurator.cloud;

import java.util.Map;
import java.util.Optional;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import dev.goldsmith.hcloud.HcloudClient;
import dev.goldsmith.hcloud.error.HcloudApiException;
import dev.goldsmith.hcloud.error.HcloudErrorCode;
import dev.goldsmith.hcloud.model.CreateSshKeyRequest;
import dev.goldsmith.hcloud.model.SshKey;
import dev.goldsmith.hcloud.model.UpdateSshKeyRequest;

/**
 * {@link CloudSshKeys} on the Hetzner Cloud API, on the one client service-support produces; the
 * client owns retries.
 */
@Singleton
public class HcloudSshKeys implements CloudSshKeys {
  private final HcloudClient client;

  @Inject
  public HcloudSshKeys(HcloudClient client) {
    this.client = client;
  }

  @Override
  public Optional<RegisteredKey> findByFingerprint(String md5Fingerprint) {
    return client.sshKeys().getByFingerprintAndAwait(md5Fingerprint).map(HcloudSshKeys::toKey);
  }

  @Override
  public Optional<RegisteredKey> create(String name, String publicKey, Map<String, String> labels) {
    try {
      return Optional.of(
          toKey(client.sshKeys().createAndAwait(new CreateSshKeyRequest(name, publicKey, labels))));
    } catch (HcloudApiException e) {
      if (e.code() == HcloudErrorCode.UNIQUENESS_ERROR) {
        return Optional.empty();
      }
      throw e;
    }
  }

  @Override
  public RegisteredKey relabel(long id, Map<String, String> labels) {
    return toKey(client.sshKeys().updateAndAwait(id, new UpdateSshKeyRequest(null, labels)));
  }

  private static RegisteredKey toKey(SshKey key) {
    return new RegisteredKey(key.id(), key.name(), key.fingerprint(), key.labels());
  }
}
