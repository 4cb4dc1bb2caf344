package dev.goldsmith.configurator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;

import dev.goldsmith.configurator.ansible.HostAddress;
import dev.goldsmith.configurator.ansible.KnownHosts;
import dev.goldsmith.configurator.ansible.PlaybookReport;
import dev.goldsmith.configurator.configuring.ConfiguratorService;
import dev.goldsmith.configurator.keys.KeyRegistration;
import dev.goldsmith.configurator.support.Events;
import dev.goldsmith.configurator.support.HostKeys;
import dev.goldsmith.configurator.support.IsolatedTopics;
import dev.goldsmith.events.BuildAccepted;
import dev.goldsmith.events.BuildFailed;
import dev.goldsmith.events.BuilderConfigured;
import dev.goldsmith.events.BuilderConfigured.Outcome;
import dev.goldsmith.events.BuilderReady;
import dev.goldsmith.events.EventType;
import dev.goldsmith.events.KafkaEvents;
import dev.goldsmith.events.NetworkMode;
import dev.goldsmith.events.PipelineEvent;
import dev.goldsmith.events.Topics;
import dev.goldsmith.hcloud.HcloudClient;
import dev.goldsmith.hcloud.model.ServerQuery;
import dev.goldsmith.testkit.EmulatorProcess;
import dev.goldsmith.testkit.EmulatorTestResource;
import dev.goldsmith.testkit.InjectEmulator;
import dev.goldsmith.testkit.KafkaTestSupport;

/**
 * Provisioner and configurator together on real servers of the emulator's hosts backend: the
 * provisioner (its packaged jar as a child process, own input topics) creates the builder with a
 * host key it generated and injected through cloud-init and publishes it in BuilderReady; the
 * configurator (the application under test) pins it. The test carries the events between the two
 * (both publish to the shared topics; it forwards its build's events to their isolated inputs), so
 * it can hand the configurator a BuilderReady whose key is not the builder's.
 */
@QuarkusTest
@QuarkusTestResource(
    value = EmulatorTestResource.class,
    initArgs = @ResourceArg(name = "backend", value = "hosts"),
    restrictToAnnotatedClass = true)
@QuarkusTestResource(value = IsolatedTopics.class, restrictToAnnotatedClass = true)
class HostKeyPinningIT {
  private static final Duration PROVISION_WAIT = Duration.ofMinutes(6);
  private static final Duration RUN_WAIT = Duration.ofMinutes(10);
  private static final String FAILING_TASK =
      "runtime_baseline : Install the missing runtime packages";

  @Inject HcloudClient hcloud;
  @Inject KeyRegistration registration;
  @Inject ConfiguratorService service;

  @InjectEmulator EmulatorProcess emulator;

  private static Process provisioner;
  private static final Map<String, String> PROVISIONER_INPUTS = new LinkedHashMap<>();
  private static Path scratch;

  @AfterAll
  static void stopProvisioner() throws InterruptedException {
    if (provisioner != null) {
      provisioner.destroy();
      if (!provisioner.waitFor(30, TimeUnit.SECONDS)) {
        provisioner.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    }
  }

  @Test
  void builderPresentingAnotherKeyThanThePinnedOneIsRefusedAndNeverConfigured() throws Exception {
    UUID build = UUID.randomUUID();
    BuilderReady ready = provision(build);
    assertBuilderPresents(ready);

    // The configurator is told a different key than the one the builder got.
    String otherKey = HostKeys.generate(scratch, "other-" + build).publicKey().keyOnly();
    assertThat(otherKey).isNotEqualTo(ready.hostKey());
    Events.publish(
        new BuilderReady(
            ready.buildId(),
            ready.spec(),
            ready.serverId(),
            ready.ipv4(),
            ready.ipv6(),
            otherKey,
            Instant.now()));

    List<BuilderConfigured> configured = Events.configured(build, 1, RUN_WAIT);
    assertThat(configured).hasSize(1);
    BuilderConfigured e = configured.get(0);
    System.out.println("MEASURED host key mismatch message: " + e.message());
    assertThat(e.outcome()).isEqualTo(Outcome.FAILED);
    assertThat(e.reasonClass()).isEqualTo(BuilderConfigured.HOST_KEY_MISMATCH);
    assertThat(e.message())
        .startsWith("host key refused")
        .contains(otherKey)
        .containsIgnoringCase("Host key verification failed");
    assertThat(e.changed()).isZero();
    // the playbook did not get one task done: its only results are the failed connection
    PlaybookReport report =
        PlaybookReport.read(service.configurator().workDir(build).resolve("events-1.jsonl"));
    assertThat(report.results()).isNotEmpty().allMatch(r -> "unreachable".equals(r.status()));

    // Never configured: through the real key, the builder is as it was created.
    assertThat(sshToBuilder(ready, "getent passwd admin >/dev/null && echo admin || echo none"))
        .contains("none");
    assertThat(sshToBuilder(ready, "cat /root/.ssh/authorized_keys"))
        .contains(service.keyPair().publicKey().keyOnly());

    forwardToProvisioner(e);
    BuildFailed failed = awaitOne(BuildFailed.class, build, PROVISION_WAIT);
    assertThat(failed.stage()).isEqualTo(BuildFailed.Stage.CONFIGURE);
    assertThat(failed.reasonClass()).hasToString(BuilderConfigured.HOST_KEY_MISMATCH);
    assertThat(failed.message()).contains("host key refused");
    assertThat(builders(build)).as("the refused builder is deleted").isEmpty();
  }

  @Test
  void builderPresentingThePinnedKeyIsLoggedIntoAndThePlaybookRuns() throws Exception {
    UUID build = UUID.randomUUID();
    // A package that does not exist makes the playbook fail at a known task, after it logged in
    // with the pinned key and ran the tasks before it (a whole converge takes minutes).
    BuilderReady ready =
        provision(
            build, Map.of("runtime_baseline_extra_packages", List.of("goldsmith-no-such-package")));
    assertBuilderPresents(ready);

    Events.publish(ready);

    List<BuilderConfigured> configured = Events.configured(build, 1, RUN_WAIT);
    assertThat(configured).hasSize(1);
    BuilderConfigured e = configured.get(0);
    assertThat(e.outcome()).isEqualTo(Outcome.FAILED);
    assertThat(e.failedTask()).as(e.message()).isEqualTo(FAILING_TASK);
    assertThat(e.reasonClass()).isEqualTo(BuilderConfigured.PLAYBOOK_FAILED);
    PlaybookReport report =
        PlaybookReport.read(service.configurator().workDir(build).resolve("events-1.jsonl"));
    assertThat(report.results()).anyMatch(r -> "ok".equals(r.status()));
    assertThat(report.results()).noneMatch(r -> "unreachable".equals(r.status()));
    assertThat(service.configurator().workDir(build).resolve("known_hosts"))
        .content()
        .isEqualTo(HostAddress.ipv4(ready.ipv4()).literal() + " " + ready.hostKey() + "\n");

    forwardToProvisioner(e);
    BuildFailed failed = awaitOne(BuildFailed.class, build, PROVISION_WAIT);
    assertThat(failed.reasonClass()).hasToString(BuilderConfigured.PLAYBOOK_FAILED);
    assertThat(builders(build)).isEmpty();
  }

  /** BuildAccepted to the provisioner; its BuilderReady for {@code build}. */
  private BuilderReady provision(UUID build) throws Exception {
    return provision(build, Map.of());
  }

  private BuilderReady provision(UUID build, Map<String, Object> vars) throws Exception {
    startProvisioner();
    send(
        PROVISIONER_INPUTS.get("build-accepted"),
        new BuildAccepted(
            build, TestSpecs.spec("golden-image.yml", vars, NetworkMode.IPV4), Instant.now()));
    return awaitOne(BuilderReady.class, build, PROVISION_WAIT);
  }

  /** The builder's sshd presents exactly the key the provisioner put into BuilderReady. */
  private void assertBuilderPresents(BuilderReady ready) throws Exception {
    String scanned = run(List.of("ssh-keyscan", "-T", "20", "-t", "ed25519", ready.ipv4()));
    assertThat(scanned).contains(ready.ipv4() + " " + ready.hostKey());
  }

  private String sshToBuilder(BuilderReady ready, String command) throws Exception {
    Path knownHosts = scratch.resolve("known_hosts-" + ready.buildId());
    KnownHosts.write(knownHosts, List.of(HostAddress.ipv4(ready.ipv4())), 22, ready.hostKey());
    return run(
        List.of(
            "ssh",
            "-i",
            service.keyPair().privateKeyFile().toString(),
            "-o",
            "IdentitiesOnly=yes",
            "-o",
            "IdentityAgent=none",
            "-o",
            "BatchMode=yes",
            "-o",
            "StrictHostKeyChecking=yes",
            "-o",
            "UserKnownHostsFile=" + knownHosts,
            "-o",
            "GlobalKnownHostsFile=/dev/null",
            "-o",
            "ConnectTimeout=10",
            "root@" + ready.ipv4(),
            command));
  }

  private List<Long> builders(UUID build) {
    return hcloud
        .servers()
        .allAndAwait(ServerQuery.all().withLabelSelector("goldsmith.dev/build-id=" + build))
        .stream()
        .map(s -> s.id())
        .toList();
  }

  private void forwardToProvisioner(BuilderConfigured e) {
    send(PROVISIONER_INPUTS.get("builder-configured"), e);
  }

  /** Starts the packaged provisioner once, on this test's emulator and its own input topics. */
  private void startProvisioner() throws Exception {
    if (provisioner != null) {
      assertThat(provisioner.isAlive()).as("provisioner process").isTrue();
      return;
    }
    await()
        .alias("configurator key registered")
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(250))
        .until(() -> registration.registered() != null);
    scratch = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "pinning-it-");
    Path jar =
        Path.of("..", "provisioner-service", "target", "quarkus-app", "quarkus-run.jar")
            .toAbsolutePath()
            .normalize();
    assertThat(jar).as("the provisioner's packaged application (build it first)").exists();

    Map<String, String> channels = new LinkedHashMap<>();
    channels.put("build-accepted", Topics.BUILD_ACCEPTED);
    channels.put("builder-configured", Topics.BUILDER_CONFIGURED);
    channels.put("janitor-build-failed", Topics.BUILD_FAILED);
    channels.put("janitor-image-promoted", Topics.IMAGE_PROMOTED);
    channels.put("janitor-image-verified", Topics.IMAGE_VERIFIED);
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-Xmx256m");
    cmd.add("-Dquarkus.http.port=" + freePort());
    cmd.add("-Dquarkus.http.host=127.0.0.1");
    cmd.add("-Dgoldsmith.provisioner.poll-interval=500ms");
    cmd.add("-Dgoldsmith.provisioner.janitor.interval=1h");
    cmd.add("-Dgoldsmith.provisioner.builder.host-key-dir=" + scratch.resolve("host-keys"));
    channels.forEach(
        (channel, real) -> {
          String topic = KafkaTestSupport.uniqueTopic(real + ".pinning-it");
          KafkaTestSupport.createTopic(topic, 2);
          PROVISIONER_INPUTS.put(channel, topic);
          cmd.add("-Dmp.messaging.incoming." + channel + ".topic=" + topic);
          cmd.add("-Dmp.messaging.incoming." + channel + ".group.id=" + topic + "-group");
        });
    cmd.add("-jar");
    cmd.add(jar.toString());
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.redirectOutput(Path.of("target", "pinning-it-provisioner.log").toFile());
    pb.environment().put("HCLOUD_ENDPOINT", emulator.endpoint());
    pb.environment().put("HCLOUD_TOKEN", emulator.token());
    pb.environment().put("KAFKA_BOOTSTRAP_SERVERS", KafkaTestSupport.bootstrapServers());
    provisioner = pb.start();
  }

  private static void send(String topic, PipelineEvent event) {
    var record = KafkaEvents.toRecord(event, "/goldsmith/test");
    Map<String, String> headers = new LinkedHashMap<>();
    record
        .headers()
        .forEach(h -> headers.put(h.key(), new String(h.value(), StandardCharsets.UTF_8)));
    KafkaTestSupport.send(topic, record.key(), record.value(), headers);
  }

  /** The one event of {@code type} for {@code build} on its shared topic. */
  private static <T extends PipelineEvent> T awaitOne(Class<T> type, UUID build, Duration wait) {
    var records =
        KafkaTestSupport.readUntil(
            EventType.of(type).topic(),
            rs -> rs.stream().anyMatch(r -> build.toString().equals(r.key())),
            wait);
    List<T> found =
        records.stream()
            .filter(r -> build.toString().equals(r.key()))
            .map(KafkaEvents::decode)
            .filter(type::isInstance)
            .map(type::cast)
            .toList();
    assertThat(found).as("%s of build %s", type.getSimpleName(), build).hasSize(1);
    return found.get(0);
  }

  private static String run(List<String> cmd) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(90, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as("%s: %s", cmd, out).isZero();
    return out;
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
