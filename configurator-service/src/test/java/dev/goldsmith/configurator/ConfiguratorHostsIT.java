package dev.goldsmith.configurator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;

import dev.goldsmith.configurator.ansible.HostAddress;
import dev.goldsmith.configurator.ansible.Inventory;
import dev.goldsmith.configurator.ansible.PlaybookCommand;
import dev.goldsmith.configurator.ansible.PlaybookReport;
import dev.goldsmith.configurator.ansible.PlaybookRunner;
import dev.goldsmith.configurator.ansible.SshMasters;
import dev.goldsmith.configurator.configuring.ConfiguratorService;
import dev.goldsmith.configurator.keys.KeyPair;
import dev.goldsmith.configurator.keys.KeyPairStore;
import dev.goldsmith.configurator.keys.KeyRegistration;
import dev.goldsmith.configurator.support.Events;
import dev.goldsmith.configurator.support.IsolatedTopics;
import dev.goldsmith.events.BuildSpec;
import dev.goldsmith.events.BuilderConfigured;
import dev.goldsmith.events.BuilderConfigured.Outcome;
import dev.goldsmith.events.BuilderReady;
import dev.goldsmith.events.EventCodec;
import dev.goldsmith.events.NetworkMode;
import dev.goldsmith.hcloud.HcloudClient;
import dev.goldsmith.hcloud.model.CreateServerRequest;
import dev.goldsmith.hcloud.model.CreateSshKeyRequest;
import dev.goldsmith.hcloud.model.Server;
import dev.goldsmith.testkit.EmulatorTestResource;

/**
 * The real golden-image playbook against a real server of the emulator's hosts backend (systemd,
 * sshd, apt through the emulator's proxy), driven through Kafka like in production.
 *
 * <p>The server gets two keys at create time: the configurator's (comment {@code
 * goldsmith-configurator}, removed by image_hygiene as designed) and an observer key of this test
 * (comment {@code it-observer}, which image_hygiene keeps), through which the test checks the
 * result over SSH and runs the idempotence converge.
 */
@QuarkusTest
@QuarkusTestResource(
    value = EmulatorTestResource.class,
    initArgs = @ResourceArg(name = "backend", value = "hosts"),
    restrictToAnnotatedClass = true)
@QuarkusTestResource(value = IsolatedTopics.class, restrictToAnnotatedClass = true)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConfiguratorHostsIT {
  private static final Duration RUN_WAIT = Duration.ofMinutes(20);
  private static final String FAILING_TASK =
      "runtime_baseline : Install the missing runtime packages";

  @Inject HcloudClient hcloud;
  @Inject KeyRegistration registration;
  @Inject ConfiguratorService service;

  private static HcloudClient cleanupClient;
  private static Server server;
  private static KeyPair observer;
  private static Path scratch;
  private static BuilderReady converged;
  private static BuilderConfigured convergedEvent;

  /** Creates the builder once: debian-12 with the configurator's and the observer's keys. */
  private Server builder() throws Exception {
    if (server != null) {
      return server;
    }
    cleanupClient = hcloud;
    scratch = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "hosts-it-");
    observer =
        KeyPairStore.loadOrGenerate(
            scratch.resolve("observer"), scratch.resolve("observer.pub"), true, "it-observer");
    await()
        .alias("configurator key registered")
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(250))
        .until(() -> registration.registered() != null);
    long observerKey =
        hcloud
            .sshKeys()
            .createAndAwait(
                new CreateSshKeyRequest(
                    "it-observer-" + UUID.randomUUID().toString().substring(0, 8),
                    observer.publicKey().line(),
                    Map.of()))
            .id();
    var created =
        hcloud
            .servers()
            .createAndAwait(
                CreateServerRequest.builder(
                        "builder-it-" + UUID.randomUUID().toString().substring(0, 8),
                        "cx23",
                        "debian-12")
                    .location("fsn1")
                    .sshKey(registration.registered().id())
                    .sshKey(observerKey)
                    .label("goldsmith.dev/managed", "true")
                    .label("goldsmith.dev/role", "builder")
                    .build());
    hcloud.actions().waitForAndAwait(created.allActions(), Duration.ofMinutes(10));
    server = hcloud.servers().getAndAwait(created.server().id()).orElseThrow();
    return server;
  }

  private BuilderReady ready(UUID build, Map<String, Object> vars, NetworkMode mode) {
    BuildSpec spec = TestSpecs.spec("golden-image.yml", vars, mode);
    return TestSpecs.ready(
        build,
        spec,
        server.id(),
        server.ipv4Address().orElse(null),
        server.ipv6HostAddress().orElse(null));
  }

  @AfterAll
  static void deleteServer() {
    if (server != null && cleanupClient != null) {
      try {
        cleanupClient.servers().deleteAndAwait(server.id());
      } catch (RuntimeException e) {
        System.err.println("could not delete server " + server.id() + ": " + e);
      }
    }
  }

  @Test
  @Order(1)
  void failingTaskYieldsFailedWithThatTasksName() throws Exception {
    builder();
    UUID build = UUID.randomUUID();
    Events.publish(
        ready(
            build,
            Map.of("runtime_baseline_extra_packages", List.of("goldsmith-no-such-package")),
            NetworkMode.IPV4));

    List<BuilderConfigured> events = Events.configured(build, 1, RUN_WAIT);

    assertThat(events).hasSize(1);
    BuilderConfigured e = events.get(0);
    assertThat(e.outcome()).isEqualTo(Outcome.FAILED);
    assertThat(e.failedTask()).isEqualTo(FAILING_TASK);
    assertThat(e.message()).contains("goldsmith-no-such-package");
    assertThat(e.serverId()).isEqualTo(server.id());
    Path log = Path.of(java.net.URI.create(e.logRef()));
    assertThat(Files.readString(log)).contains("TASK [" + FAILING_TASK + "]").contains("fatal:");
  }

  @Test
  @Order(2)
  void playbookConvergesTheBuilderOverIpv6InAutoMode() throws Exception {
    builder();
    UUID build = UUID.randomUUID();
    converged = ready(build, Map.of(), NetworkMode.AUTO);
    long start = System.nanoTime();
    Events.publish(converged);

    List<BuilderConfigured> events = Events.configured(build, 1, RUN_WAIT);

    Duration took = Duration.ofNanos(System.nanoTime() - start);
    assertThat(events).hasSize(1);
    convergedEvent = events.get(0);
    String log = Files.readString(Path.of(java.net.URI.create(convergedEvent.logRef())));
    assertThat(convergedEvent.outcome()).as(convergedEvent.message()).isEqualTo(Outcome.OK);
    assertThat(convergedEvent.failedTask()).isNull();
    assertThat(convergedEvent.changed()).isPositive();
    assertThat(log).contains("PLAY RECAP").contains("failed=0");
    // auto: the builder's IPv6 sshd answered, so the run used it.
    String inventory =
        Files.readString(service.configurator().workDir(build).resolve("inventory.yml"));
    assertThat(inventory)
        .contains(
            "ansible_host: \""
                + HostAddress.ipv6(server.ipv6HostAddress().orElseThrow()).literal()
                + "\"");
    System.out.printf(
        "MEASURED first converge: event after %s, changed=%d%n", took, convergedEvent.changed());
  }

  @Test
  @Order(3)
  void builderIsConfiguredAsSpecified() throws Exception {
    assertThat(convergedEvent).as("converged in the previous test").isNotNull();

    String packages =
        ssh(
            "dpkg-query -W -f='${Package} ${db:Status-Status}\\n' podman python3 curl jq"
                + " ca-certificates gnupg apt-transport-https");
    for (String p :
        List.of(
            "podman", "python3", "curl", "jq", "ca-certificates", "gnupg", "apt-transport-https")) {
      assertThat(packages).contains(p + " installed");
    }
    assertThat(ssh("getent passwd admin"))
        .matches("admin:x:\\d+:\\d+:[^:]*:/home/admin:/bin/bash\\s*");
    assertThat(ssh("test -d /home/admin && echo home")).contains("home");
    assertThat(ssh("id -nG admin")).contains("sudo");
    String vault = ssh("getent passwd vault").trim();
    assertThat(vault).endsWith(":/usr/sbin/nologin");
    int vaultUid = Integer.parseInt(vault.split(":")[2]);
    assertThat(vaultUid).isLessThan(1000);
    String vaultHome = vault.split(":")[5];
    assertThat(ssh("test -e '" + vaultHome + "' && echo exists || echo absent")).contains("absent");
    assertThat(ssh("/usr/sbin/sshd -T | grep -i '^passwordauthentication '").trim())
        .isEqualTo("passwordauthentication no");
    assertThat(ssh("su - admin -c 'command -v vault-preflight'").trim())
        .isEqualTo("/usr/local/bin/vault-preflight");

    String keys =
        ssh(
            "for f in $(getent passwd | cut -d: -f6 | sort -u) /root; do"
                + " cat $f/.ssh/authorized_keys $f/.ssh/authorized_keys2 2>/dev/null; done; true");
    assertThat(keys).doesNotContain(service.keyPair().publicKey().blob());
    assertThat(keys).doesNotContain("goldsmith-");
    assertThat(keys).contains(observer.publicKey().blob());
  }

  @Test
  @Order(4)
  void secondConvergeReportsNoChange() throws Exception {
    assertThat(convergedEvent).as("converged in the previous test").isNotNull();
    // image_hygiene removed the configurator's key (as it must), so this converge logs in with the
    // observer key; everything else is what the service passes: same playbook, same spec vars,
    // same build key listed for removal.
    Path dir = Files.createDirectories(scratch.resolve("second-run"));
    Path knownHosts = dir.resolve("known_hosts");
    Files.createFile(knownHosts);
    new Inventory(
            "builder-" + server.id(),
            HostAddress.ipv4(server.ipv4Address().orElseThrow()),
            22,
            "root",
            observer.privateKeyFile(),
            knownHosts)
        .write(dir.resolve("inventory.yml"));
    Files.writeString(
        dir.resolve("extra-vars.json"), EventCodec.toJson(converged.spec().extraVars()));
    Files.writeString(
        dir.resolve("goldsmith-vars.json"),
        EventCodec.toJson(
            Map.of(
                "image_hygiene_build_pubkeys",
                List.of(service.keyPair().publicKey().typeAndBlob()))));
    Path cp = Path.of("/tmp/goldsmith-cp/it-" + UUID.randomUUID().toString().substring(0, 6));
    Files.createDirectories(cp);
    Path events = dir.resolve("events.jsonl");
    PlaybookCommand command =
        new PlaybookCommand(
            "ansible-playbook",
            TestSpecs.ANSIBLE_DIR,
            TestSpecs.ANSIBLE_DIR.resolve("golden-image.yml"),
            dir.resolve("inventory.yml"),
            List.of(dir.resolve("extra-vars.json"), dir.resolve("goldsmith-vars.json")),
            service
                .configurator()
                .workDir(UUID.randomUUID())
                .getParent()
                .resolve(".callback_plugins"),
            events,
            cp,
            Files.createDirectories(dir.resolve("tmp")));
    PlaybookRunner.Result run;
    try {
      run =
          new PlaybookRunner(RUN_WAIT, Duration.ofSeconds(10))
              .run(command, dir, dir.resolve("second-run.log"), line -> {});
    } finally {
      SshMasters.closeAll(cp);
    }

    PlaybookReport report = PlaybookReport.read(events);
    String log = Files.readString(dir.resolve("second-run.log"));
    assertThat(run.exitCode()).as(log).isZero();
    assertThat(report.results()).isNotEmpty();
    assertThat(report.firstFatal()).isEmpty();
    assertThat(report.results().stream().filter(PlaybookReport.TaskResult::changed).toList())
        .as("changed tasks of the second converge")
        .isEmpty();
    assertThat(report.changedCount()).isZero();
    System.out.printf(
        "MEASURED second converge: %s, tasks=%d, changed=%d%n",
        run.duration(), report.results().size(), report.changedCount());
  }

  @Test
  @Order(5)
  void redeliveryPublishesTheRecordedOutcomeAgain() {
    assertThat(convergedEvent).as("converged in the previous test").isNotNull();
    Events.publish(converged);

    List<BuilderConfigured> events =
        Events.configured(converged.buildId(), 2, Duration.ofMinutes(2));

    assertThat(events).hasSize(2);
    assertThat(events.get(1)).isEqualTo(convergedEvent);
  }

  /** Runs a command on the builder as root with the observer key; fails on a non-zero exit. */
  private String ssh(String command) throws IOException, InterruptedException {
    List<String> args = new ArrayList<>();
    args.addAll(
        List.of(
            "ssh",
            "-i",
            observer.privateKeyFile().toString(),
            "-o",
            "IdentitiesOnly=yes",
            "-o",
            "IdentityAgent=none",
            "-o",
            "BatchMode=yes",
            "-o",
            "StrictHostKeyChecking=accept-new",
            "-o",
            "UserKnownHostsFile=" + scratch.resolve("known_hosts"),
            "-o",
            "ConnectTimeout=10",
            "root@" + server.ipv4Address().orElseThrow(),
            command));
    Process p = new ProcessBuilder(args).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as("ssh %s: %s", command, out).isZero();
    return out;
  }
}
