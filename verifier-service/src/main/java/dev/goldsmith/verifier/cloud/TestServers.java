package dev.goldsmith.verifier.cloud;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import dev.goldsmith.support.ssh.SshPublicKey;

/**
 * The cloud operations the verifier needs. Every method throws {@link InfraException} when the API
 * fails.
 */
public interface TestServers {

  /** Creates the server and returns at once (its id is known; it may still be starting). */
  TestServer create(TestServerRequest request);

  /** Waits for the create actions and until the server is {@code running}. */
  TestServer awaitRunning(long serverId, Duration timeout);

  /** Deletes the server and waits for the delete action; a missing server is not an error. */
  void delete(long serverId, Duration timeout);

  /** Test servers labelled with this build id (role=test). */
  List<TestServer> findTestServers(UUID buildId);

  /** Public keys used to build images (the configurator's registered SSH keys). */
  List<SshPublicKey> buildKeys();

  /**
   * Registers the verifier's public key as a project SSH key (idempotent by fingerprint) and
   * returns its id.
   */
  long ensureSshKey(SshPublicKey publicKey);
}
