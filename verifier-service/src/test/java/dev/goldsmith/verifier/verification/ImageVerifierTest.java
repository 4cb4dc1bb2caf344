package dev.goldsmith.verifier.verification;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import dev.goldsmith.events.AccessDeclaration;
import dev.goldsmith.events.BinaryCheck;
import dev.goldsmith.events.ImageChecks;
import dev.goldsmith.events.NetworkMode;
import dev.goldsmith.events.UserBinaries;
import dev.goldsmith.events.Verdict;
import dev.goldsmith.events.VerificationMatrix;
import dev.goldsmith.hcloud.error.HcloudNetworkException;
import dev.goldsmith.support.ssh.SshKeyPair;
import dev.goldsmith.support.ssh.SshPublicKey;
import dev.goldsmith.verifier.FakeImageShell;
import dev.goldsmith.verifier.LocalShell;
import dev.goldsmith.verifier.channel.ChannelSelector;
import dev.goldsmith.verifier.channel.ChannelSettings;
import dev.goldsmith.verifier.check.Commands;
import dev.goldsmith.verifier.cloud.CloudUnavailableException;
import dev.goldsmith.verifier.cloud.InfraException;
import dev.goldsmith.verifier.cloud.TestServer;
import dev.goldsmith.verifier.cloud.TestServerRequest;
import dev.goldsmith.verifier.cloud.TestServers;
import dev.goldsmith.verifier.ssh.ExecResult;
import dev.goldsmith.verifier.ssh.ForwardingShell;
import dev.goldsmith.verifier.ssh.RemoteShell;
import dev.goldsmith.verifier.ssh.SshConnectException;
import dev.goldsmith.verifier.ssh.SshConnector;

/**
 * Attempt, retry and cleanup rules of {@link ImageVerifier}, with an in-memory cloud and scripted
 * channel outcomes; the check run itself uses a real local shell.
 */
class ImageVerifierTest {

  /** In-memory cloud: records every server and every delete. */
  static final class Cloud implements TestServers {
    final Map<Long, TestServerRequest> live = new LinkedHashMap<>();
    final List<Long> deleted = new ArrayList<>();
    final List<TestServerRequest> created = new ArrayList<>();
    final AtomicLong ids = new AtomicLong(100);
    final Deque<RuntimeException> createFailures = new ArrayDeque<>();
    boolean failStart;

    @Override
    public TestServer create(TestServerRequest r) {
      if (!createFailures.isEmpty()) {
        throw createFailures.pop();
      }
      long id = ids.incrementAndGet();
      live.put(id, r);
      created.add(r);
      return new TestServer(id, r.name(), "127.0.0.1", "::1", "initializing");
    }

    @Override
    public TestServer awaitRunning(long id, Duration timeout) {
      if (failStart) {
        throw new InfraException("action create_server failed: image not ready");
      }
      return new TestServer(id, live.get(id).name(), "127.0.0.1", "::1", "running");
    }

    @Override
    public void delete(long id, Duration timeout) {
      deleted.add(id);
      live.remove(id);
    }

    @Override
    public List<TestServer> findTestServers(UUID buildId) {
      return live.entrySet().stream()
          .filter(
              e -> buildId.toString().equals(e.getValue().labels().get("goldsmith.dev/build-id")))
          .map(e -> new TestServer(e.getKey(), e.getValue().name(), null, null, "running"))
          .toList();
    }

    @Override
    public List<SshPublicKey> buildKeys() {
      return List.of();
    }

    @Override
    public long ensureSshKey(SshPublicKey publicKey) {
      return 1;
    }
  }

  private final Cloud cloud = new Cloud();
  private final List<String> connects = new ArrayList<>();
  private final Deque<SshConnectException> connectFailures = new ArrayDeque<>();
  private final SshConnector connector =
      (host, port, family, pinned, timeout) -> {
        connects.add(family + " " + host);
        if (!connectFailures.isEmpty()) {
          throw connectFailures.pop();
        }
        FakeImageShell image = new FakeImageShell(new LocalShell());
        // this test's family names only nobody: the in-memory image's admin gets no login shell
        image.passwd =
            image.passwd.replace("/home/admin:/bin/bash", "/home/admin:/usr/sbin/nologin");
        this.imageSetup.accept(image);
        return this.shellWrapper.apply(image);
      };
  private java.util.function.Consumer<FakeImageShell> imageSetup = image -> {};
  private java.util.function.UnaryOperator<RemoteShell> shellWrapper = shell -> shell;

  /**
   * A shell whose matching commands hang for real: {@code sleep 30} on this machine, killed after
   * 500 ms, as the real shell gives up on a session that stopped answering (no exit status).
   */
  private static RemoteShell hangingOn(
      RemoteShell shell, java.util.function.Predicate<String> hangs) {
    return new ForwardingShell(shell) {
      @Override
      public ExecResult exec(String command, Duration timeout) throws IOException {
        if (hangs.test(command)) {
          return new LocalShell().exec("sleep 30", Duration.ofMillis(500));
        }
        return shell.exec(command, timeout);
      }
    };
  }

  private final VerifierSettings settings =
      new VerifierSettings(
          3,
          Duration.ofSeconds(5),
          Duration.ofSeconds(5),
          new ChannelSettings(
              Duration.ofSeconds(3),
              Duration.ofSeconds(1),
              Duration.ofSeconds(1),
              Duration.ofSeconds(1)),
          Duration.ofSeconds(5),
          Duration.ofSeconds(20),
          Duration.ofSeconds(5));
  private final SshKeyPair own = SshKeyPair.generateEd25519("goldsmith-verifier");

  private ImageVerifier verifier(boolean portOpen) {
    AtomicLong clock = new AtomicLong();
    ChannelSelector channels =
        new ChannelSelector(
            (h, p, t) -> portOpen ? Optional.empty() : Optional.of("ConnectException: refused"),
            settings.channel(),
            d -> clock.addAndGet(d.toNanos()),
            clock::get);
    return new ImageVerifier(cloud, connector, channels, settings, own.publicKey(), 1);
  }

  private static VerificationRequest request(String binary) {
    VerificationMatrix m =
        new VerificationMatrix(
            List.of(
                new UserBinaries(
                    "nobody",
                    List.of(
                        new BinaryCheck(
                            binary, List.of("--version"), List.of("/usr/bin", "/bin"))))),
            new ImageChecks(
                List.of(),
                Map.of(),
                List.of("/gs/never/there"),
                new AccessDeclaration(
                    Map.of(),
                    new AccessDeclaration.Sudoers(
                        Map.of("sudo", List.of("admin")), List.of("README"), List.of()),
                    List.of(new AccessDeclaration.Listening("tcp", 22)))));
    return new VerificationRequest(
        UUID.randomUUID(),
        "vault-base",
        "20261125-v1",
        42,
        "cx23",
        "fsn1",
        m,
        NetworkMode.IPV4,
        "gs-test-vault-base-1");
  }

  @Test
  void testServersCarryTheBuildsInstallationId() {
    VerificationRequest plain = request("id");
    VerificationRequest owned =
        new VerificationRequest(
            plain.buildId(),
            plain.family(),
            plain.version(),
            plain.imageId(),
            plain.serverType(),
            plain.location(),
            plain.matrix(),
            plain.networkMode(),
            plain.serverName(),
            "inst-1");
    assertThat(ImageVerifier.labels(owned, 1))
        .containsEntry("goldsmith.dev/managed", "true")
        .containsEntry("goldsmith.dev/installation", "inst-1");
    assertThat(ImageVerifier.labels(plain, 1)).doesNotContainKey("goldsmith.dev/installation");
  }

  @Test
  void passesAndDeletesTheServer() throws Exception {
    VerificationOutcome o = verifier(true).verify(request("id"));
    assertThat(o.verdict()).as(o.report().summary()).isEqualTo(Verdict.PASSED);
    assertThat(o.attempts()).isEqualTo(1);
    assertThat(o.addressFamily()).isEqualTo("ipv4");
    assertThat(o.report().binaries())
        .singleElement()
        .satisfies(b -> assertThat(b.path()).endsWith("/id"));
    assertThat(cloud.live).isEmpty();
    assertThat(cloud.deleted).hasSize(1);
    TestServerRequest r = cloud.created.get(0);
    assertThat(r.labels())
        .containsEntry("goldsmith.dev/managed", "true")
        .containsEntry("goldsmith.dev/role", "test")
        .containsEntry("goldsmith.dev/family", "vault-base")
        .containsEntry("goldsmith.dev/version", "20261125-v1")
        .containsKey("goldsmith.dev/created-at")
        .containsKey("goldsmith.dev/build-id");
    assertThat(r.userData()).startsWith("#cloud-config").contains("ed25519_private");
    assertThat(r.imageId()).isEqualTo(42);
  }

  @Test
  void anArtifactDefectIsNotRetried() throws Exception {
    VerificationOutcome o = verifier(true).verify(request("gs-not-installed"));
    assertThat(o.verdict()).isEqualTo(Verdict.ARTIFACT_DEFECT);
    assertThat(o.attempts()).isEqualTo(1);
    assertThat(o.report().summary())
        .contains("nobody/gs-not-installed: not found on nobody's login PATH");
    assertThat(cloud.live).isEmpty();
  }

  @Test
  void anUnreachablePortIsAChannelFailureRetriedWithFreshServers() throws Exception {
    VerificationOutcome o = verifier(false).verify(request("id"));
    assertThat(o.verdict()).isEqualTo(Verdict.CHANNEL_FAILURE);
    assertThat(o.attempts()).isEqualTo(3);
    assertThat(cloud.created)
        .extracting(TestServerRequest::name)
        .containsExactly(
            "gs-test-vault-base-1", "gs-test-vault-base-1-2", "gs-test-vault-base-1-3");
    assertThat(cloud.deleted).hasSize(3);
    assertThat(cloud.live).isEmpty();
    assertThat(o.report().binaries()).isEmpty();
    assertThat(o.report().summary())
        .startsWith("channel failure after 3 attempt(s)")
        .contains("unreachable");
  }

  @Test
  void aHostKeyMismatchIsAChannelFailureAndARetryCanPass() throws Exception {
    connectFailures.add(
        new SshConnectException(
            SshConnectException.Reason.HOST_KEY_MISMATCH, "host key refused", null));
    VerificationOutcome o = verifier(true).verify(request("id"));
    assertThat(o.verdict()).isEqualTo(Verdict.PASSED);
    assertThat(o.attempts()).isEqualTo(2);
    assertThat(connects).hasSize(2);
    assertThat(cloud.live).isEmpty();
  }

  @Test
  void cloudErrorsAreInfraFailuresAndStillCleanUp() throws Exception {
    cloud.failStart = true;
    VerificationOutcome o = verifier(true).verify(request("id"));
    assertThat(o.verdict()).isEqualTo(Verdict.INFRA_FAILURE);
    assertThat(o.attempts()).isEqualTo(3);
    assertThat(cloud.deleted).hasSize(3);
    assertThat(cloud.live).isEmpty();
    assertThat(o.report().summary()).contains("image not ready");
  }

  @Test
  void aCreateFailureThenSuccessPasses() throws Exception {
    cloud.createFailures.add(new InfraException("resource_unavailable"));
    VerificationOutcome o = verifier(true).verify(request("id"));
    assertThat(o.verdict()).isEqualTo(Verdict.PASSED);
    assertThat(o.attempts()).isEqualTo(2);
  }

  @Test
  void leftoverServersOfTheSameBuildAreDeletedFirst() throws Exception {
    VerificationRequest req = request("id");
    Map<String, String> labels = Map.of("goldsmith.dev/build-id", req.buildId().toString());
    cloud.live.put(7L, new TestServerRequest("old", "cx23", "fsn1", 42, 1, null, labels));
    VerificationOutcome o = verifier(true).verify(req);
    assertThat(o.verdict()).isEqualTo(Verdict.PASSED);
    assertThat(cloud.deleted).startsWith(7L);
    assertThat(cloud.live).isEmpty();
  }

  @Test
  void anUndeclaredListeningPortIsAnArtifactDefectNotRetried() throws Exception {
    imageSetup =
        image ->
            image.ss += "tcp LISTEN 0 4096 *:8200 *:* users:((\"vault\",pid=7,fd=3)) uid:65534\n";
    VerificationOutcome o = verifier(true).verify(request("id"));
    assertThat(o.verdict()).isEqualTo(Verdict.ARTIFACT_DEFECT);
    assertThat(o.attempts()).isEqualTo(1);
    assertThat(o.report().access())
        .filteredOn(a -> !a.ok())
        .singleElement()
        .satisfies(
            a -> {
              assertThat(a.user()).isEqualTo("nobody");
              assertThat(a.item()).isEqualTo("tcp *:8200 (vault)");
            });
    assertThat(o.report().summary()).contains("nobody listening tcp *:8200 (vault)");
    assertThat(cloud.live).isEmpty();
  }

  @Test
  void aFailingListingIsAChannelFailureRetriedAndNeverAPass() throws Exception {
    imageSetup =
        image ->
            image.override.put(
                "ss", c -> new dev.goldsmith.verifier.ssh.ExecResult(0, "GS_RC=1\n", "", 1, false));
    VerificationOutcome o = verifier(true).verify(request("id"));
    assertThat(o.verdict()).isEqualTo(Verdict.CHANNEL_FAILURE);
    assertThat(o.attempts()).isEqualTo(3);
    assertThat(o.report().summary())
        .contains("a listing of the access audit failed: ss -H -tulnpe listing failed (exit 1)");
    assertThat(cloud.live).isEmpty();
  }

  @Test
  void aMatrixCommandThatHangsIsAChannelFailureNeverAnArtifactDefect() throws Exception {
    // Without the strict shell, "login shell did not run (timed out)" failed the binary.
    shellWrapper = shell -> hangingOn(shell, c -> c.contains("GS_RESOLVED"));
    VerificationOutcome o = verifier(true).verify(request("id"));
    assertThat(o.verdict()).isEqualTo(Verdict.CHANNEL_FAILURE);
    assertThat(o.attempts()).isEqualTo(3);
    assertThat(o.report().summary()).contains("the session stalled during checks");
    assertThat(cloud.created).hasSize(3);
    assertThat(cloud.live).isEmpty();
  }

  @Test
  void aKeyListingThatHangsIsAChannelFailureNeverAVacuousPass() throws Exception {
    // Without the strict shell, the empty output of a timed-out listing passed the key check.
    shellWrapper = shell -> hangingOn(shell, c -> c.equals(Commands.authorizedKeys()));
    VerificationOutcome o = verifier(true).verify(request("id"));
    assertThat(o.verdict()).isEqualTo(Verdict.CHANNEL_FAILURE);
    assertThat(o.report().summary()).contains("the session stalled during checks");
    assertThat(cloud.live).isEmpty();
  }

  @Test
  void aStallOnlyOnTheFirstServerIsRetriedOnAFreshOneAndPasses() throws Exception {
    java.util.concurrent.atomic.AtomicInteger shells =
        new java.util.concurrent.atomic.AtomicInteger();
    shellWrapper = shell -> shells.incrementAndGet() == 1 ? hangingOn(shell, c -> true) : shell;
    VerificationOutcome o = verifier(true).verify(request("id"));
    assertThat(o.verdict()).isEqualTo(Verdict.PASSED);
    assertThat(o.attempts()).isEqualTo(2);
    assertThat(cloud.live).isEmpty();
  }

  @Test
  void aCloudOutageCreatingTheServerIsNoVerdictButRetriedLater() {
    cloud.createFailures.add(
        new InfraException(
            "cannot create test server",
            new HcloudNetworkException(
                "POST", "/servers", new java.net.ConnectException("refused"))));
    VerificationRequest req = request("id");
    assertThatThrownBy(() -> verifier(true).verify(req))
        .isInstanceOf(CloudUnavailableException.class)
        .hasMessageContaining("cannot create test server");
    assertThat(cloud.live).isEmpty();
  }

  @Test
  void aLastingCreateFailureIsStillAnInfraFailure() throws Exception {
    // A 4xx (or an action that failed) is an answer about the request, not an outage.
    for (int i = 0; i < 3; i++) {
      cloud.createFailures.add(new InfraException("resource_unavailable"));
    }
    VerificationOutcome o = verifier(true).verify(request("id"));
    assertThat(o.verdict()).isEqualTo(Verdict.INFRA_FAILURE);
  }

  @Test
  void anInterruptedVerificationDeletesItsServerAndGivesNoVerdict() {
    shellWrapper =
        shell ->
            new ForwardingShell(shell) {
              @Override
              public ExecResult exec(String command, Duration timeout) throws IOException {
                // What the sshj shell does when the worker is interrupted (shutdown).
                Thread.currentThread().interrupt();
                throw new IOException(
                    "interrupted while running a command", new InterruptedException());
              }
            };
    try {
      assertThatThrownBy(() -> verifier(true).verify(request("id")))
          .isInstanceOf(InterruptedException.class);
    } finally {
      Thread.interrupted();
    }
    assertThat(cloud.created).hasSize(1);
    assertThat(cloud.deleted).hasSize(1);
    assertThat(cloud.live).isEmpty();
  }
}
