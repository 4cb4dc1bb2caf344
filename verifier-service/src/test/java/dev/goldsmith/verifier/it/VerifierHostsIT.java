package dev.goldsmith.verifier.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import dev.goldsmith.events.AccessDeclaration;
import dev.goldsmith.events.BinaryCheck;
import dev.goldsmith.events.ExpectedUser;
import dev.goldsmith.events.ImageChecks;
import dev.goldsmith.events.NetworkMode;
import dev.goldsmith.events.UserBinaries;
import dev.goldsmith.events.Verdict;
import dev.goldsmith.events.VerificationMatrix;
import dev.goldsmith.events.VerificationReport.AccessResult;
import dev.goldsmith.events.VerificationReport.BinaryResult;
import dev.goldsmith.families.FamilyLoader;
import dev.goldsmith.hcloud.HcloudClient;
import dev.goldsmith.hcloud.HcloudConfig;
import dev.goldsmith.hcloud.model.CreateImageRequest;
import dev.goldsmith.hcloud.model.CreateImageResult;
import dev.goldsmith.hcloud.model.CreateServerRequest;
import dev.goldsmith.hcloud.model.CreateServerResult;
import dev.goldsmith.hcloud.model.CreateSshKeyRequest;
import dev.goldsmith.support.ssh.SshKeyPair;
import dev.goldsmith.support.ssh.SshPublicKey;
import dev.goldsmith.testkit.EmulatorProcess;
import dev.goldsmith.verifier.channel.ChannelSelector;
import dev.goldsmith.verifier.channel.ChannelSettings;
import dev.goldsmith.verifier.channel.TcpPortProbe;
import dev.goldsmith.verifier.cloud.CloudInitUserData;
import dev.goldsmith.verifier.cloud.HcloudTestServers;
import dev.goldsmith.verifier.cloud.TestServer;
import dev.goldsmith.verifier.ssh.ExecResult;
import dev.goldsmith.verifier.ssh.RemoteShell;
import dev.goldsmith.verifier.ssh.SshConnectException;
import dev.goldsmith.verifier.ssh.SshConnector;
import dev.goldsmith.verifier.ssh.SshjConnector;
import dev.goldsmith.verifier.verification.ImageVerifier;
import dev.goldsmith.verifier.verification.Reports;
import dev.goldsmith.verifier.verification.VerificationOutcome;
import dev.goldsmith.verifier.verification.VerificationRequest;
import dev.goldsmith.verifier.verification.VerifierSettings;

/**
 * The verifier against real Linux hosts of the emulator's hosts backend: test images are made from
 * debian-12 with cloud-init user data (users, write_files), snapshotted, and verified over real SSH
 * with pinned host keys. Images are made once and shared: each test only reads them.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class VerifierHostsIT {

  private static final String PREFLIGHT = "#!/bin/sh\necho \"vault-preflight 1.0 ($(id -un))\"\n";

  private EmulatorProcess emulator;
  private HcloudClient hcloud;
  private HcloudTestServers cloud;
  private SshKeyPair verifierKey;
  private long verifierKeyId;
  private SshKeyPair configuratorKey;
  private long goodImage;
  private long rootOnlyImage;
  private long buildKeyImage;
  private long extraKeyImage;
  private long extraSudoersImage;
  private long extraPortImage;
  private SshKeyPair plantedKey;
  private final List<String> timings = new ArrayList<>();

  @BeforeAll
  void start() {
    emulator =
        EmulatorProcess.start(
            "hosts",
            Map.of(
                "emulator.actions.default-duration", "100ms",
                "emulator.rate-limit.enabled", "false"));
    hcloud = HcloudClient.create(HcloudConfig.of(emulator.endpoint(), emulator.token()));
    cloud = new HcloudTestServers(hcloud, Duration.ofMillis(300));
    verifierKey = SshKeyPair.generateEd25519("goldsmith-verifier");
    verifierKeyId = cloud.ensureSshKey(verifierKey.publicKey());
    // The build key: the configurator's key as the provisioner puts it on builders.
    configuratorKey = SshKeyPair.generateEd25519("configurator@ci");
    hcloud
        .sshKeys()
        .createAndAwait(
            new CreateSshKeyRequest(
                "goldsmith-configurator-it",
                configuratorKey.publicKey().line(),
                Map.of("goldsmith.dev/managed", "true", "goldsmith.dev/role", "configurator")));
    long t0 = System.nanoTime();
    goodImage = image("good", userData("/usr/local/bin", ""));
    // /usr/local/sbin is on root's login PATH only (Debian's /etc/profile).
    rootOnlyImage = image("rootonly", userData("/usr/local/sbin", ""));
    buildKeyImage =
        image(
            "buildkey",
            userData(
                "/usr/local/bin",
                "    ssh_authorized_keys:\n      - \""
                    + configuratorKey.publicKey().line()
                    + "\"\n"));
    // Access the family does not declare, one kind per image; the old check passed all three.
    plantedKey = SshKeyPair.generateEd25519("ops@laptop");
    extraKeyImage =
        image(
            "extrakey",
            userData(
                "/usr/local/bin",
                "    ssh_authorized_keys:\n      - \"" + plantedKey.publicKey().line() + "\"\n"));
    extraSudoersImage =
        image(
            "extrasudoers",
            userData("/usr/local/bin", "")
                + "  - path: /etc/sudoers.d/99-ops\n"
                + "    permissions: '0440'\n"
                + "    content: |\n"
                + "      vault ALL=(ALL) NOPASSWD: ALL\n");
    // A socket systemd opens before sockets.target, so before sshd: listening when SSH answers.
    extraPortImage =
        image(
            "extraport",
            userData("/usr/local/bin", "")
                + "  - path: /etc/systemd/system/gs-extra.socket\n"
                + "    content: |\n"
                + "      [Socket]\n"
                + "      ListenStream=8200\n"
                + "  - path: /etc/systemd/system/gs-extra.service\n"
                + "    content: |\n"
                + "      [Service]\n"
                + "      ExecStart=/bin/true\n"
                + "  - path: /etc/systemd/system/sockets.target.d/gs-extra.conf\n"
                + "    content: |\n"
                + "      [Unit]\n"
                + "      Wants=gs-extra.socket\n");
    timings.add("6 test images made in " + ms(t0) + " ms");
  }

  @AfterEach
  void noTestServerRemains() {
    assertThat(emulator.control().servers("goldsmith.dev/role=test")).isEmpty();
  }

  @AfterAll
  void stop() {
    timings.forEach(t -> System.out.println("[verifier-it] " + t));
    if (hcloud != null) {
      hcloud.close();
    }
    if (emulator != null) {
      emulator.close();
    }
  }

  private static String userData(String preflightDir, String adminExtra) {
    return "#cloud-config\n"
        + "users:\n"
        + "  - name: admin\n"
        + "    shell: /bin/bash\n"
        + "    groups: [sudo]\n"
        + adminExtra
        + "  - name: vault\n"
        + "    system: true\n"
        + "    shell: /usr/sbin/nologin\n"
        + "write_files:\n"
        + "  - path: "
        + preflightDir
        + "/vault-preflight\n"
        + "    permissions: '0755'\n"
        + "    content: |\n"
        + PREFLIGHT.lines().map(l -> "      " + l + "\n").reduce("", String::concat);
  }

  /**
   * Creates a (never booted) server from debian-12 with the user data, snapshots it, deletes it.
   */
  private long image(String name, String userData) {
    CreateServerResult s =
        hcloud
            .servers()
            .createAndAwait(
                CreateServerRequest.builder("img-" + name, "cx23", "debian-12")
                    .location("fsn1")
                    .userData(userData)
                    .startAfterCreate(false)
                    .label("goldsmith.dev/role", "image-maker")
                    .build());
    hcloud.actions().waitForAndAwait(s.allActions(), Duration.ofMinutes(5));
    CreateImageResult img =
        hcloud
            .servers()
            .createImageAndAwait(
                s.server().id(), CreateImageRequest.snapshot("verifier-it-" + name, Map.of()));
    hcloud.actions().waitForAndAwait(img.action(), Duration.ofMinutes(5));
    hcloud
        .actions()
        .waitForAndAwait(hcloud.servers().deleteAndAwait(s.server().id()), Duration.ofMinutes(2));
    return img.image().id();
  }

  /** The access vault-base declares, read from its family file. */
  private static AccessDeclaration vaultBaseAccess() {
    java.nio.file.Path file =
        java.nio.file.Path.of(System.getProperty("user.dir"))
            .resolveSibling("ansible")
            .resolve("families/vault-base.yml");
    return FamilyLoader.load(file).verification().image().access();
  }

  private static VerificationMatrix matrix() {
    List<String> prefixes = List.of("/usr/bin", "/usr/sbin", "/usr/local/bin", "/usr/local/sbin");
    List<BinaryCheck> bins =
        List.of(
            new BinaryCheck("python3", List.of("--version"), prefixes),
            new BinaryCheck("ip", List.of("-V"), prefixes),
            new BinaryCheck("vault-preflight", List.of("--version"), prefixes));
    return new VerificationMatrix(
        List.of(new UserBinaries("root", bins), new UserBinaries("admin", bins)),
        new ImageChecks(
            List.of(
                new ExpectedUser("admin", "/bin/bash", List.of("sudo"), false, true),
                new ExpectedUser("vault", "/usr/sbin/nologin", List.of(), true, false)),
            Map.of("pubkeyauthentication", "yes"),
            List.of("/root/.bash_history", "/var/lib/cloud/instance"),
            vaultBaseAccess()));
  }

  private ImageVerifier verifier(int attempts) {
    VerifierSettings settings =
        new VerifierSettings(
            attempts,
            Duration.ofMinutes(2),
            Duration.ofMinutes(1),
            new ChannelSettings(
                Duration.ofSeconds(12),
                Duration.ofMillis(500),
                Duration.ofSeconds(1),
                Duration.ofSeconds(2)),
            Duration.ofSeconds(15),
            Duration.ofSeconds(30),
            Duration.ofSeconds(15));
    return new ImageVerifier(
        cloud,
        new SshjConnector(verifierKey),
        new ChannelSelector(new TcpPortProbe(), settings.channel()),
        settings,
        verifierKey.publicKey(),
        verifierKeyId);
  }

  private VerificationOutcome verify(
      String what, long image, NetworkMode mode, UUID buildId, int attempts)
      throws InterruptedException {
    long t0 = System.nanoTime();
    VerificationOutcome o =
        verifier(attempts)
            .verify(
                new VerificationRequest(
                    buildId,
                    "vault-base",
                    "20261125-v1",
                    image,
                    "cx23",
                    "fsn1",
                    matrix(),
                    mode,
                    "gs-test-" + buildId.toString().substring(0, 8)));
    timings.add(
        what + ": " + o.verdict() + " in " + ms(t0) + " ms, " + o.attempts() + " attempt(s)");
    System.out.println(Reports.render(o.verdict(), o.addressFamily(), o.attempts(), o.report()));
    return o;
  }

  @Test
  void aGoodImagePassesForRootAndAdminWithTheReportFilled() throws Exception {
    VerificationOutcome o =
        verify("good image ipv4", goodImage, NetworkMode.IPV4, UUID.randomUUID(), 1);
    assertThat(o.verdict()).as(o.report().summary()).isEqualTo(Verdict.PASSED);
    assertThat(o.addressFamily()).isEqualTo("ipv4");
    assertThat(o.report().binaries()).hasSize(6).allMatch(BinaryResult::ok);
    assertThat(o.report().binaries()).extracting(BinaryResult::user).containsOnly("root", "admin");
    BinaryResult adminPreflight =
        o.report().binaries().stream()
            .filter(b -> b.user().equals("admin") && b.binary().equals("vault-preflight"))
            .findFirst()
            .orElseThrow();
    assertThat(adminPreflight.path()).isEqualTo("/usr/local/bin/vault-preflight");
    assertThat(adminPreflight.versionLine()).isEqualTo("vault-preflight 1.0 (admin)");
    assertThat(adminPreflight.exitCode()).isZero();
    assertThat(o.report().binaries())
        .filteredOn(b -> b.binary().equals("python3"))
        .allSatisfy(b -> assertThat(b.versionLine()).startsWith("Python 3."));
    assertThat(o.report().checks()).allMatch(c -> c.ok());
    // vault-base's declaration: only the verifier's own key (for root), admin in sudo, ssh.
    assertThat(o.report().access()).isNotEmpty().allMatch(AccessResult::ok);
    assertThat(o.report().access())
        .anySatisfy(
            a -> {
              assertThat(a.user()).isEqualTo("root");
              assertThat(a.kind()).isEqualTo("authorized_key");
              assertThat(a.item()).contains(verifierKey.publicKey().md5Fingerprint());
              assertThat(a.detail()).contains("the verifier's own key");
            })
        .anySatisfy(
            a -> {
              assertThat(a.user()).isEqualTo("admin");
              assertThat(a.item()).isEqualTo("group sudo");
            })
        .anySatisfy(
            a -> {
              assertThat(a.kind()).isEqualTo("listening");
              assertThat(a.item()).startsWith("tcp ").contains(":22");
            });
  }

  /** Verifies an image that differs from the good one by one undeclared access item. */
  private List<AccessResult> undeclared(String what, long image) throws Exception {
    VerificationOutcome o = verify(what, image, NetworkMode.IPV4, UUID.randomUUID(), 2);
    assertThat(o.verdict()).as(o.report().summary()).isEqualTo(Verdict.ARTIFACT_DEFECT);
    assertThat(o.attempts()).as("a defect is not retried").isEqualTo(1);
    assertThat(o.report().binaries()).allMatch(BinaryResult::ok);
    assertThat(o.report().checks())
        .filteredOn(c -> !c.ok())
        .extracting(c -> c.name())
        .containsExactly("access");
    return o.report().access().stream().filter(a -> !a.ok()).toList();
  }

  @Test
  void anUndeclaredAuthorizedKeyIsADefectNamingTheUserAndTheKey() throws Exception {
    assertThat(undeclared("extra authorized key", extraKeyImage))
        .singleElement()
        .satisfies(
            a -> {
              assertThat(a.user()).isEqualTo("admin");
              assertThat(a.kind()).isEqualTo("authorized_key");
              assertThat(a.item())
                  .contains(plantedKey.publicKey().md5Fingerprint())
                  .contains("'ops@laptop'")
                  .endsWith(" in /home/admin/.ssh/authorized_keys");
              assertThat(a.detail()).isEqualTo("not declared for admin");
            });
  }

  @Test
  void anUndeclaredSudoersFileIsADefectNamingTheUserAndTheFile() throws Exception {
    List<AccessResult> bad = undeclared("extra sudoers file", extraSudoersImage);
    assertThat(bad)
        .anySatisfy(
            a -> {
              assertThat(a.user()).isEqualTo("vault");
              assertThat(a.kind()).isEqualTo("sudoers_file");
              assertThat(a.item()).isEqualTo("/etc/sudoers.d/99-ops");
            })
        .anySatisfy(
            a -> {
              assertThat(a.user()).isEqualTo("vault");
              assertThat(a.kind()).isEqualTo("sudoers_rule");
              assertThat(a.item())
                  .isEqualTo("/etc/sudoers.d/99-ops: vault ALL=(ALL) NOPASSWD: ALL");
            });
    assertThat(bad).allMatch(a -> a.user().equals("vault"));
  }

  @Test
  void anUndeclaredListeningPortIsADefectNamingTheUserAndThePort() throws Exception {
    assertThat(undeclared("extra listening port", extraPortImage))
        .singleElement()
        .satisfies(
            a -> {
              assertThat(a.user()).isEqualTo("root");
              assertThat(a.kind()).isEqualTo("listening");
              assertThat(a.item()).startsWith("tcp ").contains(":8200");
              assertThat(a.detail()).isEqualTo("port not declared in access.listening");
            });
  }

  @Test
  void aToolOnRootsPathOnlyIsADefectNamingAdminAndTheTool() throws Exception {
    VerificationOutcome o =
        verify("root-only tool", rootOnlyImage, NetworkMode.IPV4, UUID.randomUUID(), 3);
    assertThat(o.verdict()).isEqualTo(Verdict.ARTIFACT_DEFECT);
    assertThat(o.attempts()).as("a defect is not retried").isEqualTo(1);
    List<BinaryResult> failed = o.report().binaries().stream().filter(b -> !b.ok()).toList();
    assertThat(failed)
        .singleElement()
        .satisfies(
            b -> {
              assertThat(b.user()).isEqualTo("admin");
              assertThat(b.binary()).isEqualTo("vault-preflight");
              assertThat(b.detail()).startsWith("not found on admin's login PATH (");
            });
    assertThat(o.report().binaries())
        .filteredOn(b -> b.user().equals("root") && b.binary().equals("vault-preflight"))
        .singleElement()
        .satisfies(b -> assertThat(b.path()).isEqualTo("/usr/local/sbin/vault-preflight"));
    assertThat(o.report().summary()).contains("admin/vault-preflight");
  }

  @Test
  void droppedIpv6IsAChannelFailureInIpv6ModeAndFallsBackToIpv4InAutoMode() throws Exception {
    UUID v6Build = UUID.randomUUID();
    emulator
        .control()
        .addServerFault(
            Map.of("type", "ipv6_drop", "label_selector", "goldsmith.dev/build-id=" + v6Build));
    VerificationOutcome v6 =
        verify("ipv6 dropped, ipv6 mode", goodImage, NetworkMode.IPV6, v6Build, 2);
    assertThat(v6.verdict()).isEqualTo(Verdict.CHANNEL_FAILURE);
    assertThat(v6.attempts()).isEqualTo(2);
    assertThat(v6.report().binaries()).isEmpty();
    assertThat(v6.report().summary()).contains("ipv6").contains("unreachable");

    UUID autoBuild = UUID.randomUUID();
    emulator
        .control()
        .addServerFault(
            Map.of("type", "ipv6_drop", "label_selector", "goldsmith.dev/build-id=" + autoBuild));
    VerificationOutcome auto =
        verify("ipv6 dropped, auto mode", goodImage, NetworkMode.AUTO, autoBuild, 1);
    assertThat(auto.verdict()).as(auto.report().summary()).isEqualTo(Verdict.PASSED);
    assertThat(auto.addressFamily()).isEqualTo("ipv4");
    assertThat(auto.report().checks().get(0).detail())
        .contains("ipv6")
        .contains("unreachable")
        .contains("used ipv4");
  }

  @Test
  void aPathDroppedAfterSshIsUpIsAChannelFailureNeverAnArtifactDefect() throws Exception {
    UUID build = UUID.randomUUID();
    VerifierSettings settings =
        new VerifierSettings(
            2,
            Duration.ofMinutes(2),
            Duration.ofMinutes(1),
            new ChannelSettings(
                Duration.ofSeconds(12),
                Duration.ofMillis(500),
                Duration.ofSeconds(1),
                Duration.ofSeconds(2)),
            // The command timeout is how the stall is noticed, so it stays short; it still leaves
            // a loaded machine room to answer the commands before the drop.
            Duration.ofSeconds(15),
            Duration.ofSeconds(10),
            Duration.ofSeconds(10));
    SshjConnector real = new SshjConnector(verifierKey);
    List<String> faults = new ArrayList<>();
    List<String> ranBeforeDrop = new ArrayList<>();
    List<String> failedBeforeDrop = new ArrayList<>();
    // The session comes up and answers the first commands; then all IPv4 of the server's
    // namespace is dropped (nftables in its netns), and the session stalls mid-check.
    SshConnector dropping =
        (host, port, family, pinned, timeout) -> {
          RemoteShell shell = real.connect(host, port, family, pinned, timeout);
          Object serverId =
              emulator.control().servers("goldsmith.dev/build-id=" + build).stream()
                  .filter(m -> "running".equals(m.get("status")))
                  .findFirst()
                  .orElseThrow()
                  .get("id");
          java.util.concurrent.atomic.AtomicInteger n =
              new java.util.concurrent.atomic.AtomicInteger();
          return new RemoteShell() {
            @Override
            public ExecResult exec(String command, Duration t) throws java.io.IOException {
              if (n.incrementAndGet() == 3) {
                Map<String, Object> rule =
                    emulator
                        .control()
                        .addServerFault(Map.of("kind", "ipv4_drop", "server_id", serverId));
                faults.add(String.valueOf(rule.get("id")));
              } else if (n.get() < 3) {
                try {
                  ExecResult r = shell.exec(command, t);
                  ranBeforeDrop.add(command);
                  return r;
                } catch (java.io.IOException | RuntimeException e) {
                  failedBeforeDrop.add(command + " -> " + e);
                  throw e;
                }
              }
              return shell.exec(command, t);
            }

            @Override
            public String endpoint() {
              return shell.endpoint();
            }

            @Override
            public void close() {
              shell.close();
            }
          };
        };
    long t0 = System.nanoTime();
    VerificationOutcome o;
    try {
      o =
          new ImageVerifier(
                  cloud,
                  dropping,
                  new ChannelSelector(new TcpPortProbe(), settings.channel()),
                  settings,
                  verifierKey.publicKey(),
                  verifierKeyId)
              .verify(
                  new VerificationRequest(
                      build,
                      "vault-base",
                      "20261125-v1",
                      goodImage,
                      "cx23",
                      "fsn1",
                      matrix(),
                      NetworkMode.IPV4,
                      "gs-test-" + build.toString().substring(0, 8)));
    } finally {
      faults.forEach(id -> emulator.control().removeServerFault(id));
    }
    timings.add(
        "path dropped mid-check: "
            + o.verdict()
            + " in "
            + ms(t0)
            + " ms, "
            + o.attempts()
            + " attempt(s)");
    String rendered = Reports.render(o.verdict(), o.addressFamily(), o.attempts(), o.report());
    System.out.println(rendered);
    assertThat(failedBeforeDrop).as("commands that failed before the drop\n" + rendered).isEmpty();
    assertThat(ranBeforeDrop)
        .as("commands answered before the drop, per attempt\n" + rendered)
        .hasSize(4);
    assertThat(o.report().checks())
        .as("every attempt stalled after the session was up")
        .hasSize(2)
        .allSatisfy(c -> assertThat(c.detail()).contains("the session stalled during checks"));
    assertThat(faults).as("one drop per attempt").hasSize(2);
    assertThat(o.verdict()).as(o.report().summary()).isEqualTo(Verdict.CHANNEL_FAILURE);
    assertThat(o.verdict()).isNotEqualTo(Verdict.ARTIFACT_DEFECT);
    assertThat(o.attempts()).isEqualTo(2);
    assertThat(o.report().binaries()).isEmpty();
    assertThat(o.report().summary()).startsWith("channel failure after 2 attempt(s)");
    assertThat(emulator.control().servers("goldsmith.dev/build-id=" + build)).isEmpty();
  }

  @Test
  void aGoodImagePassesOverIpv6() throws Exception {
    VerificationOutcome o =
        verify("good image ipv6", goodImage, NetworkMode.IPV6, UUID.randomUUID(), 1);
    assertThat(o.verdict()).as(o.report().summary()).isEqualTo(Verdict.PASSED);
    assertThat(o.addressFamily()).isEqualTo("ipv6");
  }

  @Test
  void aBuildKeyLeftInAuthorizedKeysIsADefect() throws Exception {
    VerificationOutcome o =
        verify("build key left", buildKeyImage, NetworkMode.IPV4, UUID.randomUUID(), 1);
    assertThat(o.verdict()).isEqualTo(Verdict.ARTIFACT_DEFECT);
    assertThat(o.report().binaries()).allMatch(BinaryResult::ok);
    assertThat(o.report().checks())
        .filteredOn(c -> c.name().equals("authorized_keys"))
        .singleElement()
        .satisfies(
            c -> {
              assertThat(c.ok()).isFalse();
              assertThat(c.detail())
                  .contains("/home/admin/.ssh/authorized_keys")
                  .contains(configuratorKey.publicKey().md5Fingerprint())
                  .contains("build/configurator key");
            });
  }

  @Test
  void aHostPresentingAnotherHostKeyThanPinnedIsRefused() throws Exception {
    SshKeyPair hostKey = SshKeyPair.generateEd25519("goldsmith-test-host");
    SshKeyPair impostor = SshKeyPair.generateEd25519("goldsmith-test-host");
    UUID build = UUID.randomUUID();
    TestServer s =
        cloud.create(
            new dev.goldsmith.verifier.cloud.TestServerRequest(
                "gs-test-hostkey",
                "cx23",
                "fsn1",
                goodImage,
                verifierKeyId,
                CloudInitUserData.render(hostKey),
                Map.of("goldsmith.dev/role", "test", "goldsmith.dev/build-id", build.toString())));
    try {
      TestServer running = cloud.awaitRunning(s.id(), Duration.ofMinutes(2));
      SshjConnector ssh = new SshjConnector(verifierKey);
      ChannelSelector channel =
          new ChannelSelector(
              new TcpPortProbe(),
              new ChannelSettings(
                  Duration.ofSeconds(20),
                  Duration.ofMillis(300),
                  Duration.ofSeconds(1),
                  Duration.ofSeconds(1)));
      String host = channel.select(running, NetworkMode.IPV4, 22).host();
      assertThat(host).isNotNull();
      assertThatThrownBy(
              () -> ssh.connect(host, 22, "ipv4", impostor.publicKey(), Duration.ofSeconds(10)))
          .isInstanceOf(SshConnectException.class)
          .satisfies(
              e ->
                  assertThat(((SshConnectException) e).reason())
                      .isEqualTo(SshConnectException.Reason.HOST_KEY_MISMATCH))
          .hasMessageContaining(hostKey.publicKey().md5Fingerprint());
      try (RemoteShell shell =
          ssh.connect(host, 22, "ipv4", hostKey.publicKey(), Duration.ofSeconds(10))) {
        ExecResult r = shell.exec("cat /etc/ssh/ssh_host_ed25519_key.pub", Duration.ofSeconds(10));
        assertThat(SshPublicKey.parse(r.stdout()).sameKey(hostKey.publicKey())).isTrue();
      }
    } finally {
      cloud.delete(s.id(), Duration.ofMinutes(1));
    }
  }

  /** Runs bin/test-image.sh (the packaged jar) and returns exit code and output. */
  private record Cli(int exit, String out) {}

  private Cli testImage(java.nio.file.Path keyDir, String... args) throws Exception {
    java.nio.file.Path script =
        java.nio.file.Path.of(System.getProperty("user.dir"), "bin", "test-image.sh");
    List<String> cmd = new ArrayList<>(List.of(script.toString()));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.environment().put("HCLOUD_ENDPOINT", emulator.endpoint());
    pb.environment().put("HCLOUD_TOKEN", emulator.token());
    pb.environment().put("GOLDSMITH_VERIFIER_SSH_KEY_DIR", keyDir.toString());
    long t0 = System.nanoTime();
    Process p = pb.start();
    p.getOutputStream().close();
    String out =
        new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    assertThat(p.waitFor(5, java.util.concurrent.TimeUnit.MINUTES)).isTrue();
    timings.add("test-image.sh " + args[1] + ": exit " + p.exitValue() + " in " + ms(t0) + " ms");
    System.out.println(out);
    return new Cli(p.exitValue(), out);
  }

  @Test
  void theOnDemandCheckPrintsTheMatrixAndExitsNonZeroUnlessPassed(
      @org.junit.jupiter.api.io.TempDir java.nio.file.Path tmp) throws Exception {
    java.nio.file.Path matrixFile = tmp.resolve("matrix.json");
    java.nio.file.Files.writeString(matrixFile, dev.goldsmith.events.EventCodec.toJson(matrix()));
    java.nio.file.Path keys = tmp.resolve("keys");

    Cli good =
        testImage(
            keys,
            "--image-id",
            Long.toString(goodImage),
            "--server-name",
            "check-good",
            "--matrix",
            matrixFile.toString(),
            "--network-mode",
            "auto");
    assertThat(good.exit()).as(good.out()).isZero();
    assertThat(good.out())
        .contains("verdict=PASSED")
        .containsPattern(
            "(?m)^admin +vault-preflight +ok +0 +\\d+ +/usr/local/bin/vault-preflight +vault-preflight 1.0 \\(admin\\)$");

    Cli bad =
        testImage(
            keys,
            "--image-id",
            Long.toString(rootOnlyImage),
            "--server-name",
            "check-bad",
            "--matrix",
            matrixFile.toString());
    assertThat(bad.exit()).as(bad.out()).isEqualTo(1);
    assertThat(bad.out()).contains("verdict=ARTIFACT_DEFECT").contains("admin/vault-preflight");
    assertThat(keys.resolve("id_ed25519")).exists();
    assertThat(emulator.control().servers("goldsmith.dev/role=test")).isEmpty();
  }

  private static long ms(long t0) {
    return (System.nanoTime() - t0) / 1_000_000;
  }
}
