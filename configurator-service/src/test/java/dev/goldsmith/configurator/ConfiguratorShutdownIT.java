package dev.goldsmith.configurator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.goldsmith.events.BuilderConfigured;
import dev.goldsmith.events.BuilderConfigured.Outcome;
import dev.goldsmith.events.BuilderReady;
import dev.goldsmith.events.CloudEventHeaders;
import dev.goldsmith.events.EventCodec;
import dev.goldsmith.events.KafkaEvents;
import dev.goldsmith.events.NetworkMode;
import dev.goldsmith.events.Topics;
import dev.goldsmith.testkit.KafkaTestSupport;

/**
 * Graceful shutdown and redelivery on real processes: the packaged configurator runs as a child
 * process (twice, one after the other, in one consumer group, sharing work and key directories as
 * two instances on one machine do) on topics of its own. The playbook ({@code local-wait.yml},
 * controller only) starts a detached stand-in for an ssh master and waits for a release file.
 *
 * <ol>
 *   <li>Instance A gets the BuilderReady and runs the playbook; it is sent SIGTERM (what a stop
 *       does). Then: A exits, ansible-playbook, its children and the detached stand-in are gone, no
 *       BuilderConfigured and no BuildFailed of the build, nothing on the dead-letter topic, no
 *       recorded outcome.
 *   <li>Before it, a refused build on the same (single) partition was acknowledged, so its offset
 *       is committed: B does not get that one again, which shows that the build's record comes back
 *       because its offset was not committed.
 *   <li>Instance B starts in the same group with the release file in place: the record was not
 *       committed, so B receives it again, runs the playbook again (attempt 2) and publishes
 *       exactly one BuilderConfigured, OK; the stand-in of that run is gone too (run cleanup).
 * </ol>
 */
class ConfiguratorShutdownIT {
  private static final Duration START_WAIT = Duration.ofMinutes(3);
  private static final Duration RUN_WAIT = Duration.ofMinutes(5);

  private Path scratch;
  private Path controlRoot;
  private String ready;
  private String deadLetter;
  private String group;
  private final List<Process> started = new ArrayList<>();

  @BeforeEach
  void setUp() throws IOException {
    scratch = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "shutdown-it-");
    // Unix socket paths are short: the control root stays under /tmp.
    controlRoot = Files.createTempDirectory(Path.of("/tmp"), "gs-cp-it-");
    Path ansible = Files.createDirectories(scratch.resolve("ansible"));
    for (String f : List.of("ansible.cfg", "local-wait.yml")) {
      try (var in = getClass().getResourceAsStream("/local-ansible/" + f)) {
        Files.copy(in, ansible.resolve(f));
      }
    }
    ready = KafkaTestSupport.uniqueTopic("it-configurator-shutdown-ready");
    deadLetter = KafkaTestSupport.uniqueTopic("it-configurator-shutdown-dlq");
    group = ready + "-group";
    // One partition: the warm-up record and the build's record share it, so the committed offset
    // tells whether the build's record was acknowledged.
    KafkaTestSupport.createTopic(ready, 1);
    KafkaTestSupport.createTopic(deadLetter, 1);
  }

  @AfterEach
  void tearDown() throws InterruptedException {
    for (Process p : started) {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly().waitFor(20, TimeUnit.SECONDS);
    }
    // Whatever a failed run left: the stand-ins name the control root.
    ProcessHandle.allProcesses()
        .filter(h -> commandLine(h).contains(controlRoot.toString()))
        .forEach(ProcessHandle::destroyForcibly);
  }

  @Test
  void sigtermKillsTheRunAndHandsTheRecordBackAndTheNextInstanceRunsItOnce() throws Exception {
    UUID build = UUID.randomUUID();
    Path release = scratch.resolve("release");
    BuilderReady event =
        TestSpecs.ready(
            build,
            TestSpecs.spec(
                "local-wait.yml",
                Map.of("goldsmith_test_release", release.toString()),
                NetworkMode.IPV4),
            920_000_000L + (System.nanoTime() % 1_000_000),
            "127.0.0.1",
            null);

    Process a = start("a");
    // Warm-up: a build refused before anything runs, acknowledged, its offset committed.
    UUID warmUp = UUID.randomUUID();
    publish(
        TestSpecs.ready(
            warmUp,
            TestSpecs.spec(
                "local-wait.yml", Map.of("ansible_become_password", "x"), NetworkMode.IPV4),
            event.serverId(),
            "127.0.0.1",
            null));
    assertThat(configured(warmUp, 1, START_WAIT)).hasSize(1);
    publish(event);

    // The playbook is running: ansible-playbook under A, and the detached stand-in.
    ProcessHandle playbook =
        await()
            .alias("ansible-playbook running under instance A")
            .atMost(START_WAIT.plus(RUN_WAIT))
            .pollInterval(Duration.ofMillis(500))
            .until(() -> findDescendant(a, "ansible-playbook"), Optional::isPresent)
            .orElseThrow();
    ProcessHandle standIn =
        await()
            .alias("detached stand-in of an ssh master")
            .atMost(RUN_WAIT)
            .pollInterval(Duration.ofMillis(500))
            .until(this::findStandIn, Optional::isPresent)
            .orElseThrow();
    assertThat(a.descendants().anyMatch(h -> h.pid() == standIn.pid()))
        .as("the stand-in is outside A's process tree, as a ControlPersist master is")
        .isFalse();
    List<ProcessHandle> tree = new ArrayList<>(playbook.descendants().toList());
    tree.add(playbook);

    a.destroy(); // SIGTERM
    assertThat(a.waitFor(2, TimeUnit.MINUTES)).as("instance A exits after SIGTERM").isTrue();

    for (ProcessHandle h : tree) {
      h.onExit().get(30, TimeUnit.SECONDS);
      assertThat(h.isAlive()).as("process %d of the playbook's tree", h.pid()).isFalse();
    }
    standIn.onExit().get(30, TimeUnit.SECONDS);
    assertThat(standIn.isAlive()).as("the detached stand-in of an ssh master").isFalse();
    Path workDir = scratch.resolve("work").resolve(build.toString());
    assertThat(workDir.resolve("outcome.json")).as("no outcome recorded").doesNotExist();
    String logA = Files.readString(scratch.resolve("instance-a.log"), StandardCharsets.UTF_8);
    assertThat(logA)
        .contains("handed back un-acked (shutdown)")
        .doesNotContain("BuilderConfigured published outcome=OK");
    assertThat(deadLettered(build, Duration.ofSeconds(5))).as("dead-lettered records").isEmpty();
    assertThat(configured(build, 1, Duration.ofSeconds(5))).as("BuilderConfigured").isEmpty();
    assertThat(
            KafkaTestSupport.readUntil(
                    Topics.BUILD_FAILED,
                    rs -> rs.stream().anyMatch(r -> build.toString().equals(r.key())),
                    Duration.ofSeconds(5))
                .stream()
                .filter(r -> build.toString().equals(r.key())))
        .as("BuildFailed")
        .isEmpty();

    // The next instance of the group gets the un-committed record and runs the playbook again.
    Files.writeString(release, "go\n");
    Process b = start("b");
    List<BuilderConfigured> events = configured(build, 1, START_WAIT.plus(RUN_WAIT));
    assertThat(events).hasSize(1);
    assertThat(events.get(0).outcome()).isEqualTo(Outcome.OK);
    assertThat(events.get(0).logRef()).endsWith("/run-2.log");
    assertThat(workDir.resolve("outcome.json")).exists();
    await()
        .alias("the second run's stand-in closed by the run cleanup")
        .atMost(Duration.ofMinutes(1))
        .pollInterval(Duration.ofMillis(500))
        .until(() -> findStandIn().isEmpty());

    // Stopped normally after its work: nothing more is published.
    b.destroy();
    assertThat(b.waitFor(2, TimeUnit.MINUTES)).isTrue();
    assertThat(configured(build, 2, Duration.ofSeconds(5))).hasSize(1);
    assertThat(deadLettered(build, Duration.ofSeconds(2))).isEmpty();
    // The warm-up was committed by A: B did not get it again (it would have republished it).
    assertThat(configured(warmUp, 2, Duration.ofSeconds(5))).hasSize(1);
  }

  private Process start(String name) throws IOException {
    Path jar = Path.of("target", "quarkus-app", "quarkus-run.jar").toAbsolutePath();
    assertThat(jar).as("the configurator's packaged application").exists();
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-Xmx256m");
    Map<String, String> props = new HashMap<>();
    props.put("quarkus.http.port", Integer.toString(freePort()));
    props.put("quarkus.http.host", "127.0.0.1");
    props.put("mp.messaging.incoming.builder-ready.topic", ready);
    props.put("mp.messaging.incoming.builder-ready.group.id", group);
    props.put("mp.messaging.incoming.builder-ready.dead-letter-queue.topic", deadLetter);
    // Two instances on one machine: one work dir (recorded outcomes are found by either), one key.
    props.put("goldsmith.configurator.ansible.dir", scratch.resolve("ansible").toString());
    props.put("goldsmith.configurator.ansible.work-dir", scratch.resolve("work").toString());
    props.put("goldsmith.configurator.ansible.log-dir", scratch.resolve("logs").toString());
    props.put("goldsmith.configurator.ansible.control-path-dir", controlRoot.toString());
    props.put("goldsmith.configurator.ansible.kill-grace", "PT5S");
    props.put(
        "goldsmith.configurator.ssh.private-key", scratch.resolve("key/id_ed25519").toString());
    props.put("goldsmith.configurator.ssh.generate-if-missing", "true");
    props.put("goldsmith.configurator.registration.enabled", "false");
    props.forEach((k, v) -> cmd.add("-D" + k + "=" + v));
    cmd.add("-jar");
    cmd.add(jar.toString());
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.redirectOutput(scratch.resolve("instance-" + name + ".log").toFile());
    // No API is used (registration off); the shared client still wants a token.
    pb.environment().put("HCLOUD_ENDPOINT", "http://127.0.0.1:9/v1");
    pb.environment().put("HCLOUD_TOKEN", "unused-by-this-test");
    pb.environment().put("KAFKA_BOOTSTRAP_SERVERS", KafkaTestSupport.bootstrapServers());
    Process p = pb.start();
    started.add(p);
    return p;
  }

  private void publish(BuilderReady event) {
    Map<String, String> headers = new HashMap<>();
    for (Header h : CloudEventHeaders.of(event, "/goldsmith/test")) {
      headers.put(h.key(), new String(h.value(), StandardCharsets.UTF_8));
    }
    KafkaTestSupport.send(ready, KafkaEvents.key(event), EventCodec.toJson(event), headers);
  }

  private static List<BuilderConfigured> configured(UUID build, int count, Duration wait) {
    return KafkaTestSupport.readUntil(
            Topics.BUILDER_CONFIGURED,
            rs -> rs.stream().filter(r -> build.toString().equals(r.key())).count() >= count,
            wait)
        .stream()
        .filter(r -> build.toString().equals(r.key()))
        .map(r -> (BuilderConfigured) KafkaEvents.decode(r))
        .toList();
  }

  private List<?> deadLettered(UUID build, Duration wait) {
    return KafkaTestSupport.readUntil(
            deadLetter, rs -> rs.stream().anyMatch(r -> build.toString().equals(r.key())), wait)
        .stream()
        .filter(r -> build.toString().equals(r.key()))
        .toList();
  }

  private static Optional<ProcessHandle> findDescendant(Process parent, String needle) {
    return parent.descendants().filter(h -> commandLine(h).contains(needle)).findFirst();
  }

  private Optional<ProcessHandle> findStandIn() {
    return ProcessHandle.allProcesses()
        .filter(h -> commandLine(h).contains(controlRoot + "/"))
        .filter(h -> commandLine(h).contains("stand-in-master"))
        .filter(h -> !commandLine(h).contains("/bin/sh"))
        .findFirst();
  }

  private static String commandLine(ProcessHandle h) {
    try {
      return new String(
              Files.readAllBytes(Path.of("/proc", Long.toString(h.pid()), "cmdline")),
              StandardCharsets.UTF_8)
          .replace('\0', ' ');
    } catch (IOException | RuntimeException e) {
      return "";
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
