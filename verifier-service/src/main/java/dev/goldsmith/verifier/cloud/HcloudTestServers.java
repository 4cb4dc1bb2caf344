package dev.goldsmith.verifier.cloud;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import dev.goldsmith.hcloud.HcloudClient;
import dev.goldsmith.hcloud.error.HcloudApiException;
import dev.goldsmith.hcloud.error.HcloudErrorCode;
import dev.goldsmith.hcloud.error.HcloudException;
import dev.goldsmith.hcloud.label.LabelSelector;
import dev.goldsmith.hcloud.model.CreateServerRequest;
import dev.goldsmith.hcloud.model.CreateServerResult;
import dev.goldsmith.hcloud.model.CreateSshKeyRequest;
import dev.goldsmith.hcloud.model.Server;
import dev.goldsmith.hcloud.model.ServerQuery;
import dev.goldsmith.hcloud.model.ServerStatus;
import dev.goldsmith.hcloud.model.SshKey;
import dev.goldsmith.hcloud.model.SshKeyQuery;
import dev.goldsmith.support.cloud.GoldsmithLabels;
import dev.goldsmith.support.ssh.SshPublicKey;

/**
 * {@link TestServers} on the hcloud client. Retries live in the client; this adapter only maps
 * failures to {@link InfraException} and polls the server status while it boots.
 */
public final class HcloudTestServers implements TestServers {

  static final String ROLE = GoldsmithLabels.ROLE;
  static final String BUILD_ID = GoldsmithLabels.BUILD_ID;

  private final HcloudClient hcloud;
  private final Duration statusPollInterval;
  // The create actions of servers whose start is not yet awaited, by server id.
  private final Map<Long, CreateServerResult> pendingActions = new ConcurrentHashMap<>();

  private final Optional<String> installationId;

  public HcloudTestServers(HcloudClient hcloud, Duration statusPollInterval) {
    this(hcloud, statusPollInterval, Optional.empty());
  }

  /**
   * @param installationId {@code goldsmith.installation-id}: the SSH key this service registers
   *     carries it as {@code goldsmith.dev/installation}
   */
  public HcloudTestServers(
      HcloudClient hcloud, Duration statusPollInterval, Optional<String> installationId) {
    this.hcloud = hcloud;
    this.statusPollInterval = statusPollInterval;
    this.installationId = installationId.map(String::trim).filter(s -> !s.isEmpty());
  }

  @Override
  public TestServer create(TestServerRequest r) {
    CreateServerRequest req =
        CreateServerRequest.builder(r.name(), r.serverType(), Long.toString(r.imageId()))
            .image(r.imageId())
            .location(r.location())
            .sshKey(r.sshKeyId())
            .userData(r.userData())
            .labels(r.labels())
            .enableIpv4(true)
            .enableIpv6(true)
            .startAfterCreate(true)
            .build();
    try {
      CreateServerResult created = hcloud.servers().createAndAwait(req);
      pendingActions.put(created.server().id(), created);
      return view(created.server());
    } catch (HcloudException e) {
      throw new InfraException("cannot create test server " + r.name() + ": " + e.getMessage(), e);
    }
  }

  @Override
  public TestServer awaitRunning(long serverId, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    try {
      CreateServerResult created = pendingActions.remove(serverId);
      if (created != null) {
        hcloud.actions().waitForAndAwait(created.allActions(), timeout);
      }
      while (true) {
        Optional<Server> s = hcloud.servers().getAndAwait(serverId);
        if (s.isEmpty()) {
          throw new InfraException("test server " + serverId + " vanished while starting");
        }
        if (s.get().status() == ServerStatus.RUNNING) {
          return view(s.get());
        }
        if (System.nanoTime() > deadline) {
          throw new InfraException(
              "test server "
                  + serverId
                  + " not running after "
                  + timeout.toSeconds()
                  + " s (status "
                  + s.get().status().wireValue()
                  + ")");
        }
        Thread.sleep(statusPollInterval.toMillis());
      }
    } catch (HcloudException e) {
      throw new InfraException("test server " + serverId + " did not start: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InfraException("interrupted while waiting for test server " + serverId, e);
    }
  }

  @Override
  public void delete(long serverId, Duration timeout) {
    pendingActions.remove(serverId);
    try {
      var action = hcloud.servers().deleteAndAwait(serverId);
      hcloud.actions().waitForAndAwait(action, timeout);
    } catch (HcloudApiException e) {
      if (e.code() == HcloudErrorCode.NOT_FOUND) {
        return;
      }
      throw new InfraException("cannot delete test server " + serverId + ": " + e.getMessage(), e);
    } catch (HcloudException e) {
      throw new InfraException("cannot delete test server " + serverId + ": " + e.getMessage(), e);
    }
  }

  private Map<String, String> keyLabels() {
    Map<String, String> labels = GoldsmithLabels.serviceKey(GoldsmithLabels.ROLE_VERIFIER);
    installationId.ifPresent(id -> labels.put(GoldsmithLabels.INSTALLATION, id));
    return labels;
  }

  @Override
  public List<TestServer> findTestServers(UUID buildId) {
    String selector =
        LabelSelector.builder()
            .eq(ROLE, GoldsmithLabels.ROLE_TEST)
            .eq(BUILD_ID, buildId.toString())
            .build()
            .toString();
    try {
      return hcloud.servers().allAndAwait(ServerQuery.all().withLabelSelector(selector)).stream()
          .map(HcloudTestServers::view)
          .toList();
    } catch (HcloudException e) {
      throw new InfraException("cannot list test servers: " + e.getMessage(), e);
    }
  }

  @Override
  public List<SshPublicKey> buildKeys() {
    String selector =
        LabelSelector.builder().eq(ROLE, GoldsmithLabels.ROLE_CONFIGURATOR).build().toString();
    try {
      List<SshPublicKey> keys = new ArrayList<>();
      for (SshKey k : hcloud.sshKeys().allAndAwait(SshKeyQuery.all().withLabelSelector(selector))) {
        SshPublicKey.tryParse(k.publicKey()).ifPresent(keys::add);
      }
      return keys;
    } catch (HcloudException e) {
      throw new InfraException("cannot list configurator SSH keys: " + e.getMessage(), e);
    }
  }

  @Override
  public long ensureSshKey(SshPublicKey publicKey) {
    String fp = publicKey.md5Fingerprint();
    try {
      Optional<SshKey> existing = hcloud.sshKeys().getByFingerprintAndAwait(fp);
      if (existing.isPresent()) {
        return existing.get().id();
      }
      String name = "goldsmith-verifier-" + fp.replace(":", "").substring(0, 12);
      try {
        return hcloud
            .sshKeys()
            .createAndAwait(
                new CreateSshKeyRequest(
                    name, publicKey.keyOnly() + " goldsmith-verifier", keyLabels()))
            .id();
      } catch (HcloudApiException e) {
        if (e.code() == HcloudErrorCode.UNIQUENESS_ERROR) {
          // Another instance registered the same key meanwhile.
          return hcloud.sshKeys().getByFingerprintAndAwait(fp).orElseThrow(() -> e).id();
        }
        throw e;
      }
    } catch (HcloudException e) {
      throw new InfraException("cannot register the verifier SSH key: " + e.getMessage(), e);
    }
  }

  static TestServer view(Server s) {
    return new TestServer(
        s.id(),
        s.name(),
        s.ipv4Address().orElse(null),
        s.ipv6HostAddress().orElse(null),
        s.status() == null ? null : s.status().wireValue());
  }
}
