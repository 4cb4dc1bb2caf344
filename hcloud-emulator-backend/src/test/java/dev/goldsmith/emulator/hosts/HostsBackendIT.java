package dev.goldsmith.emulator.hosts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import dev.goldsmith.emulator.backend.ServerBackend.ServerSpec;
import dev.goldsmith.emulator.backend.ServerFaultRule;

/**
 * Drives {@link HostsBackend} directly against real namespaces, overlays and systemd-nspawn. Needs
 * root. Takes a free instance slot through the testkit's slot locks. Prints the measured figures of
 * its timings (FIGURE lines).
 *
 * <p>The tests run in order on purpose: booting a real server costs seconds, so later tests reuse
 * the servers and images earlier ones made (server 104 is booted once and then faulted); the
 * teardown checks that nothing of any of them is left behind.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HostsBackendIT {

  static final long SYSTEM_IMAGE_ID = 1;
  static HostsBackend backend;
  static Ssh ssh;
  static Slot slot;
  static final List<Long> created = new ArrayList<>();
  static final List<Long> imagesCreated = new ArrayList<>();

  @BeforeAll
  static void start() throws Exception {
    slot = Slot.acquire();
    int instance = slot.instance;
    boolean rebuild = Boolean.getBoolean("hosts.it.rebuild-base-image");
    backend =
        new HostsBackend(
            HostsConfig.fromProperties(
                Map.of(
                    "instance", String.valueOf(instance),
                    "reclaim", "false",
                    "rebuild-base-image", String.valueOf(rebuild))));
    boolean cached = !rebuild && Files.exists(BaseImage.tarball(backend.config().imageCacheDir()));
    long t0 = System.nanoTime();
    backend.start();
    figure(
        cached ? "backend start (base image cached)" : "backend start incl. base image build", t0);
    ssh = new Ssh();
  }

  @AfterAll
  static void teardown() {
    try {
      for (long id : created) {
        backend.delete(id);
      }
      for (long id : imagesCreated) {
        backend.deleteImage(id);
      }
      backend.clearFaults(null);
    } finally {
      backend.stop();
      slot.close();
    }
    assertThat(backend.leftovers())
        .as("namespaces, veths, mounts, processes left behind")
        .isEmpty();
    assertThat(Path.of(backend.config().stateDir().resolve("layers").toString()))
        .satisfies(
            p ->
                assertThat(
                        Files.list(p)
                            .filter(l -> l.getFileName().toString().startsWith("snap-"))
                            .toList())
                    .isEmpty());
  }

  static void figure(String what, long t0) {
    System.out.printf("FIGURE %s: %.2f s%n", what, (System.nanoTime() - t0) / 1e9);
  }

  static long newServer(long id, long imageId, String userData, Map<String, String> labels) {
    backend.allocateAddresses(id);
    backend.create(
        new ServerSpec(
            id, "it-server-" + id, imageId, "debian-12", List.of(ssh.publicKey), userData, labels));
    created.add(id);
    return id;
  }

  static void waitOff(long id) {
    await()
        .alias("server " + id + " off after shutdown")
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(50))
        .until(() -> !backend.isRunning(id));
  }

  @Test
  @Order(1)
  void snapshotCarriesFilesWrittenBeforeItAndNothingAfter() throws Exception {
    long t0 = System.nanoTime();
    long a = newServer(101, SYSTEM_IMAGE_ID, null, Map.of());
    figure("create server (disk, identity, network)", t0);
    t0 = System.nanoTime();
    backend.powerOn(a);
    figure("power on to sshd accepting TCP", t0);
    assertThat(backend.isRunning(a)).isTrue();

    Cmd.Result v4 =
        ssh.run(backend.ipv4Address(a), "echo before-snapshot > /root/marker && hostname");
    assertThat(v4.exit()).as(v4.err()).isZero();
    assertThat(v4.out().strip()).isEqualTo("it-server-101");
    Cmd.Result v6 = ssh.run(backend.ipv6Address(a), "cat /root/marker");
    assertThat(v6.exit()).as(v6.err()).isZero();
    assertThat(v6.out().strip()).isEqualTo("before-snapshot");

    // memory of a booted, idle server
    long init = backend.initPid(a);
    System.out.printf("FIGURE server memory (PSS of all its processes): %d KiB%n", pssKiB(init));

    t0 = System.nanoTime();
    backend.requestShutdown(a);
    waitOff(a);
    figure("graceful shutdown until off", t0);

    t0 = System.nanoTime();
    long size = backend.captureImage(a, 9001);
    imagesCreated.add(9001L);
    figure("capture image of an off server", t0);
    assertThat(size).isGreaterThan(100_000_000L);
    System.out.printf("FIGURE image size (whole chain): %d bytes%n", size);

    backend.powerOn(a);
    assertThat(
            ssh.run(backend.ipv4Address(a), "echo after > /root/after && rm /root/marker").exit())
        .isZero();

    t0 = System.nanoTime();
    long b = newServer(102, 9001, null, Map.of());
    backend.powerOn(b);
    figure("create + boot from snapshot to sshd", t0);
    Cmd.Result check =
        ssh.run(backend.ipv4Address(b), "cat /root/marker; test ! -e /root/after && echo no-after");
    assertThat(check.exit()).as(check.err()).isZero();
    assertThat(check.out()).contains("before-snapshot").contains("no-after");
    // the first server still sees its own later changes
    assertThat(ssh.run(backend.ipv4Address(a), "cat /root/after").out().strip()).isEqualTo("after");

    // capture of a running server copies its writable layer
    t0 = System.nanoTime();
    backend.captureImage(a, 9002);
    imagesCreated.add(9002L);
    figure("capture image of a running server (copy)", t0);
    long c = newServer(103, 9002, null, Map.of());
    backend.powerOn(c);
    Cmd.Result c3 =
        ssh.run(
            backend.ipv4Address(c), "cat /root/after; test ! -e /root/marker && echo no-marker");
    assertThat(c3.out()).contains("after").contains("no-marker");
    Cmd.Result du =
        Cmd.run(
            Duration.ofSeconds(30), "du", "-sb", backend.serverDir(c).resolve("upper").toString());
    System.out.printf(
        "FIGURE disk of a server booted from a snapshot (its upper): %s%n", du.out().strip());
    backend.delete(c);
    created.remove(Long.valueOf(c));
  }

  @Test
  @Order(2)
  void systemdRunsAndAptInstallsThroughTheProxy() {
    long a = 101;
    Cmd.Result state = ssh.run(backend.ipv4Address(a), "systemctl is-system-running --wait");
    assertThat(state.out().strip()).as(state.err()).isEqualTo("running");
    long t0 = System.nanoTime();
    Cmd.Result apt =
        ssh.run(
            backend.ipv4Address(a),
            "apt-get -o Acquire::http::Timeout=30 update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q jq && jq --version");
    figure("apt-get update + install jq", t0);
    assertThat(apt.exit()).as(apt.out() + apt.err()).isZero();
    assertThat(apt.out()).contains("jq-1.6");
    Cmd.Result du =
        Cmd.run(
            Duration.ofSeconds(30), "du", "-sb", backend.serverDir(a).resolve("upper").toString());
    System.out.printf(
        "FIGURE disk of a server after apt-get install jq (its upper): %s%n", du.out().strip());
  }

  @Test
  @Order(3)
  void hostKeysDifferPerServerAndUserDataPinsThem() throws Exception {
    assertThat(ssh.hostKey(backend.ipv4Address(101)))
        .isNotEqualTo(ssh.hostKey(backend.ipv4Address(102)));

    Path k = ssh.dir.resolve("hostkey");
    Cmd.run(
            Duration.ofSeconds(30),
            "ssh-keygen",
            "-q",
            "-t",
            "ed25519",
            "-N",
            "",
            "-f",
            k.toString())
        .check();
    String priv = Files.readString(k);
    String pub = Files.readString(ssh.dir.resolve("hostkey.pub")).strip();
    String userData =
        "#cloud-config\n"
            + "ssh_keys:\n"
            + "  ed25519_private: |\n"
            + priv.lines().map(l -> "    " + l + "\n").reduce("", String::concat)
            + "  ed25519_public: "
            + pub
            + "\n"
            + "users:\n"
            + "  - default\n"
            + "  - name: admin\n"
            + "    groups: sudo\n"
            + "    shell: /bin/bash\n"
            + "    sudo: ALL=(ALL) NOPASSWD:ALL\n"
            + "    ssh_authorized_keys:\n"
            + "      - "
            + ssh.publicKey
            + "\n"
            + "write_files:\n"
            + "  - path: /etc/goldsmith/hello.txt\n"
            + "    content: hello from user data\n"
            + "    permissions: '0640'\n"
            + "    owner: admin:admin\n"
            + "runcmd:\n"
            + "  - [touch, /root/runcmd-ran]\n"
            + "  - echo shell-form > /root/runcmd-shell\n";
    long s = newServer(104, SYSTEM_IMAGE_ID, userData, Map.of());
    backend.powerOn(s);
    String[] given = pub.split("\\s+");
    assertThat(ssh.hostKey(backend.ipv4Address(s))).isEqualTo(given[0] + " " + given[1]);
    assertThat(ssh.hostKey(backend.ipv6Address(s))).isEqualTo(given[0] + " " + given[1]);
    Cmd.Result r =
        ssh.run(
            backend.ipv4Address(s),
            "systemctl is-system-running --wait >/dev/null; stat -c '%U:%G %a' /etc/goldsmith/hello.txt;"
                + " cat /etc/goldsmith/hello.txt; echo; id -nG admin; ls /root/runcmd-ran; cat /root/runcmd-shell;"
                + " sudo -u admin sudo -n true && echo sudo-ok");
    assertThat(r.out())
        .contains("admin:admin 640")
        .contains("hello from user data")
        .contains("sudo")
        .contains("/root/runcmd-ran")
        .contains("shell-form")
        .contains("sudo-ok");
    Cmd.Result asAdmin =
        Cmd.run(
            Duration.ofSeconds(60),
            "ssh",
            "-i",
            ssh.key.toString(),
            "-o",
            "BatchMode=yes",
            "-o",
            "StrictHostKeyChecking=no",
            "-o",
            "UserKnownHostsFile=/dev/null",
            "-o",
            "ConnectTimeout=10",
            "admin@" + backend.ipv4Address(s),
            "whoami");
    assertThat(asAdmin.out().strip()).as(asAdmin.err()).isEqualTo("admin");
  }

  @Test
  @Order(4)
  void networkFaultsDropOneFamilyWhileTheOtherWorks() {
    long s = 104;
    String v4 = backend.ipv4Address(s);
    String v6 = backend.ipv6Address(s);
    ServerFaultRule f = backend.addFault(Map.of("kind", "ipv4_drop", "server_id", s));
    assertThat(backend.faults()).extracting(ServerFaultRule::id).contains(f.id());
    Cmd.Result dropped = ssh.run(v4, 3, "true");
    assertThat(dropped.exit()).isEqualTo(255);
    assertThat(dropped.err()).contains("timed out");
    assertThat(ssh.run(v6, 3, "true").exit()).isZero();
    backend.clearFaults(f.id());
    assertThat(ssh.run(v4, 3, "true").exit()).isZero();

    f = backend.addFault(Map.of("kind", "ipv6_drop", "server_id", s));
    dropped = ssh.run(v6, 3, "true");
    assertThat(dropped.exit()).isEqualTo(255);
    assertThat(dropped.err()).contains("timed out");
    assertThat(ssh.run(v4, 3, "true").exit()).isZero();
    backend.clearFaults(f.id());
    assertThat(ssh.run(v6, 3, "true").exit()).isZero();
  }

  @Test
  @Order(5)
  void stoppedSshdRefusesConnectionsUntilCleared() {
    long s = 104;
    ServerFaultRule f = backend.addFault(Map.of("kind", "sshd_stopped", "server_id", s));
    Cmd.Result refused = ssh.run(backend.ipv4Address(s), 3, "true");
    assertThat(refused.exit()).isEqualTo(255);
    assertThat(refused.err()).contains("refused");
    assertThat(backend.isRunning(s)).isTrue();
    backend.clearFaults(f.id());
    assertThat(ssh.run(backend.ipv4Address(s), 3, "true").exit()).isZero();
  }

  @Test
  @Order(6)
  void labelSelectedFaultsHitServersCreatedLater() {
    ServerFaultRule f =
        backend.addFault(Map.of("kind", "ipv6_drop", "label_selector", "build=42,role=verify"));
    long other = newServer(105, SYSTEM_IMAGE_ID, null, Map.of("build", "41", "role", "verify"));
    long hit = newServer(106, SYSTEM_IMAGE_ID, null, Map.of("build", "42", "role", "verify"));
    backend.powerOn(other);
    backend.powerOn(hit);
    assertThat(ssh.run(backend.ipv6Address(other), 3, "true").exit()).isZero();
    Cmd.Result dropped = ssh.run(backend.ipv6Address(hit), 3, "true");
    assertThat(dropped.exit()).isEqualTo(255);
    assertThat(dropped.err()).contains("timed out");
    assertThat(ssh.run(backend.ipv4Address(hit), 3, "true").exit()).isZero();
    backend.clearFaults(f.id());
    assertThat(ssh.run(backend.ipv6Address(hit), 3, "true").exit()).isZero();
  }

  @Test
  @Order(7)
  void slowBootDelaysSshdAfterTheServerRuns() {
    ServerFaultRule f =
        backend.addFault(Map.of("kind", "slow_boot", "label_selector", "slow", "seconds", 8));
    long s = newServer(107, SYSTEM_IMAGE_ID, null, Map.of("slow", "yes"));
    long t0 = System.nanoTime();
    backend.powerOn(s);
    assertThat(backend.isRunning(s)).isTrue();
    assertThat(ssh.run(backend.ipv4Address(s), 2, "true").exit()).isEqualTo(255);
    await()
        .alias("sshd answers after the slow boot")
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(500))
        .until(() -> ssh.run(backend.ipv4Address(s), 2, "true").exit() == 0);
    assertThat(System.nanoTime() - t0).isGreaterThan(Duration.ofSeconds(8).toNanos());
    backend.clearFaults(f.id());
  }

  @Test
  @Order(8)
  void powerOffKillsEveryProcessAndRebuildResetsTheDisk() {
    long s = 102;
    long init = backend.initPid(s);
    assertThat(init).isPositive();
    String ns = Procs.pidNs(init).orElseThrow();
    assertThat(Procs.inPidNs(ns)).hasSizeGreaterThan(3);
    backend.powerOff(s);
    assertThat(backend.isRunning(s)).isFalse();
    assertThat(Procs.inPidNs(ns)).isEmpty();
    backend.rebuild(s, SYSTEM_IMAGE_ID);
    backend.powerOn(s);
    Cmd.Result r = ssh.run(backend.ipv4Address(s), "test ! -e /root/marker && echo fresh");
    assertThat(r.out().strip()).as(r.err()).isEqualTo("fresh");
    backend.reset(s);
    assertThat(ssh.run(backend.ipv4Address(s), "true").exit()).isZero();
  }

  @Test
  @Order(9)
  void deletingAnImageKeepsLayersOthersStillUse() {
    // server 102 was rebuilt; 9001 is still the lower of server 101 (captured while off)
    backend.deleteImage(9001);
    imagesCreated.remove(Long.valueOf(9001));
    assertThat(Files.isDirectory(backend.config().stateDir().resolve("layers/snap-9001"))).isTrue();
    backend.delete(101);
    created.remove(Long.valueOf(101));
    // 9002 is built on 9001, so 9001 stays while 9002 exists
    assertThat(Files.isDirectory(backend.config().stateDir().resolve("layers/snap-9001"))).isTrue();
    backend.deleteImage(9002);
    imagesCreated.remove(Long.valueOf(9002));
    assertThat(Files.exists(backend.config().stateDir().resolve("layers/snap-9001"))).isFalse();
    assertThat(Files.exists(backend.config().stateDir().resolve("layers/snap-9002"))).isFalse();
  }

  @Test
  @Order(10)
  void createAppendsKeysToTheSnapshotsAuthorizedKeysLikeCloudInit() throws Exception {
    long a = newServer(108, SYSTEM_IMAGE_ID, null, Map.of());
    backend.powerOn(a);
    String leftover =
        "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGoldsmithLeftoverBuildKeyOnlyForThisTest0 build";
    Cmd.Result add =
        ssh.run(backend.ipv4Address(a), "echo '" + leftover + "' >> /root/.ssh/authorized_keys");
    assertThat(add.exit()).as(add.err()).isZero();
    backend.powerOff(a);
    backend.captureImage(a, 9003);
    imagesCreated.add(9003L);

    Ssh other = new Ssh();
    long b = 109;
    backend.allocateAddresses(b);
    backend.create(
        new ServerSpec(
            b,
            "it-server-" + b,
            9003,
            "debian-12",
            List.of(other.publicKey),
            "#cloud-config\nssh_authorized_keys:\n  - " + other.publicKey + "\n",
            Map.of()));
    created.add(b);
    backend.powerOn(b);
    Cmd.Result r =
        other.run(
            backend.ipv4Address(b),
            "stat -c '%a %U' /root/.ssh /root/.ssh/authorized_keys; cat /root/.ssh/authorized_keys");
    assertThat(r.exit()).as(r.err()).isZero();
    List<String> lines = r.out().lines().toList();
    assertThat(lines.subList(0, 2)).containsExactly("700 root", "600 root");
    List<String> keys = lines.subList(2, lines.size());
    assertThat(keys).contains(leftover, ssh.publicKey);
    // the create key and the same key from user data give one line, not two
    assertThat(keys).containsOnlyOnce(other.publicKey);
    assertThat(ssh.run(backend.ipv4Address(b), "true").exit())
        .as("the leftover key of the snapshot still logs in, as on Hetzner")
        .isZero();
  }

  /** Sum of the PSS of every process in the pid namespace of {@code init}. */
  static long pssKiB(long init) throws Exception {
    String ns = Procs.pidNs(init).orElseThrow();
    long total = 0;
    for (long pid : Procs.inPidNs(ns)) {
      Path rollup = Path.of("/proc/" + pid + "/smaps_rollup");
      if (!Files.exists(rollup)) {
        continue;
      }
      for (String line : Files.readAllLines(rollup)) {
        if (line.startsWith("Pss:")) {
          total += Long.parseLong(line.replaceAll("\\D+", ""));
        }
      }
    }
    return total;
  }
}
