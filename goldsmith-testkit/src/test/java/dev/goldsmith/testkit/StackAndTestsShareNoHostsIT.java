package dev.goldsmith.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's two commands on one machine ({@code ./run.sh}, then {@code ./test.sh}), reduced to
 * what made them collide: an emulator on the stack's hosts instance leaves a snapshot layer on disk
 * (as {@code ./run.sh} does), then a test emulator runs a server and its teardown check finds only
 * its own layers; finally {@code deploy/stack.sh reset} removes the stack's hosts state. Needs root
 * and the hosts backend; skipped while a real stack runs on instance 7.
 */
class StackAndTestsShareNoHostsIT {
  private static final Duration ACTION = Duration.ofMinutes(3);

  @SuppressWarnings("unchecked")
  private static Map<String, Object> body(EmulatorControl.Response r, String key) {
    return (Map<String, Object>) r.body().get(key);
  }

  private static void awaitAction(EmulatorControl c, Object actionId) {
    await()
        .atMost(ACTION)
        .pollInterval(Duration.ofMillis(200))
        .until(
            () -> body(c.get("/v1/actions/" + actionId), "action").get("status"),
            s -> !"running".equals(s));
    assertThat(body(c.get("/v1/actions/" + actionId), "action").get("status"))
        .as("action %s", actionId)
        .isEqualTo("success");
  }

  /** Creates a running server; returns its id. */
  private static Object runningServer(EmulatorControl c, String name) {
    EmulatorControl.Response created =
        c.raw(
            "POST",
            "/v1/servers",
            Map.of("name", name, "server_type", "cx23", "image", "debian-12"));
    assertThat(created.status()).as("create %s: %s", name, created.body()).isEqualTo(201);
    awaitAction(c, body(created, "action").get("id"));
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> next = (List<Map<String, Object>>) created.body().get("next_actions");
    awaitAction(c, next.get(0).get("id"));
    return body(created, "server").get("id");
  }

  private static List<String> layers(Path stateDir) throws Exception {
    try (var s = Files.list(stateDir.resolve("layers"))) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  @Test
  void aStackLeftoverNeitherMeetsATestNorSurvivesAReset(@TempDir Path tmp) throws Exception {
    Assumptions.assumeTrue(
        Files.readString(Path.of("/proc/self/status"))
            .lines()
            .anyMatch(l -> l.matches("Uid:\\s+0\\s.*")),
        "the hosts backend needs root");
    Assumptions.assumeFalse(
        Files.exists(Path.of("/sys/class/net/gsbr" + EmulatorProcess.STACK_INSTANCE)),
        "a stack runs on hosts instance 7 here; not touching it");
    Path stackHosts = tmp.resolve("hosts-" + EmulatorProcess.STACK_INSTANCE);

    // 1. the stack's emulator: a server and its snapshot; stopping it keeps both on disk
    try (EmulatorProcess stack =
        EmulatorProcess.start(
            "hosts",
            Map.of(
                "emulator.hosts.instance",
                Integer.toString(EmulatorProcess.STACK_INSTANCE),
                "emulator.hosts.state-dir",
                stackHosts.toString()))) {
      EmulatorControl c = stack.control();
      Object id = runningServer(c, "stack-1");
      EmulatorControl.Response snap =
          c.raw("POST", "/v1/servers/" + id + "/actions/create_image", Map.of("type", "snapshot"));
      assertThat(snap.status()).as("%s", snap.body()).isEqualTo(201);
      awaitAction(c, body(snap, "action").get("id"));
    }
    assertThat(layers(stackHosts)).anyMatch(l -> l.startsWith("snap-"));

    // 2. a test's emulator gets a test slot, never the stack's, and leaves only its own layers
    Path testHosts;
    List<String> before;
    try (EmulatorProcess test = EmulatorProcess.start("hosts", Map.of())) {
      assertThat(test.slot()).isPresent();
      assertThat(test.slot().getAsInt()).isBetween(0, EmulatorProcess.SLOTS - 1);
      testHosts = Path.of("/var/lib/goldsmith-emulator/hosts-" + test.slot().getAsInt());
      before = layers(testHosts);
      EmulatorControl c = test.control();
      Object id = runningServer(c, "test-1");
      EmulatorControl.Response deleted = c.raw("DELETE", "/v1/servers/" + id, null);
      assertThat(deleted.status()).isEqualTo(200);
      awaitAction(c, body(deleted, "action").get("id"));
    }
    assertThat(layers(testHosts))
        .as("the test instance's layers after its teardown")
        .allMatch(l -> l.startsWith("sys-") || before.contains(l));

    // 3. deploy/stack.sh reset removes the stack's hosts state (disks, layers, images)
    Path stackDir = tmp.resolve("stack");
    ProcessBuilder pb =
        new ProcessBuilder("bash", "deploy/stack.sh", "reset")
            .directory(EmulatorProcess.repoRoot().toFile())
            .redirectErrorStream(true);
    pb.environment()
        .putAll(
            Map.of(
                "STACK_DIR", stackDir.toString(),
                "STACK_DB", "gs_reset_" + UUID.randomUUID().toString().replace("-", ""),
                "STACK_HOSTS_INSTANCE", Integer.toString(EmulatorProcess.STACK_INSTANCE),
                "STACK_HOSTS_STATE_DIR", stackHosts.toString()));
    Process reset = pb.start();
    String out = new String(reset.getInputStream().readAllBytes());
    assertThat(reset.waitFor(120, TimeUnit.SECONDS)).isTrue();
    assertThat(reset.exitValue()).as(out).isZero();
    assertThat(out).contains("removed the hosts state " + stackHosts);
    assertThat(stackHosts).doesNotExist();
    assertThat(stackDir).doesNotExist();
  }
}
