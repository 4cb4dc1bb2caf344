package dev.goldsmith.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** {@code deploy/emulator.sh start} prints usable HCLOUD_* lines; {@code stop} ends the process. */
class DeployScriptIT {

  private static String run(Map<String, String> env, String... args) throws Exception {
    Path root = EmulatorProcess.repoRoot();
    ProcessBuilder pb = new ProcessBuilder(args).directory(root.toFile());
    pb.environment().putAll(env);
    pb.redirectError(ProcessBuilder.Redirect.INHERIT);
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes());
    assertThat(p.waitFor(600, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(String.join(" ", args)).isZero();
    return out;
  }

  @Test
  void startPrintsEnvironmentAndStopEndsTheEmulator() throws Exception {
    Path root = EmulatorProcess.repoRoot();
    Path pidFile = root.resolve(".local/emulator.pid");
    if (Files.exists(pidFile)) {
      long pid = Long.parseLong(Files.readString(pidFile).trim());
      Assumptions.assumeFalse(
          ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false),
          "an emulator started by deploy/emulator.sh is already running; not touching it");
    }
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    String out =
        run(Map.of("EMULATOR_PORT", Integer.toString(port)), "bash", "deploy/emulator.sh", "start");
    try {
      Map<String, String> vars = new LinkedHashMap<>();
      for (String line : out.split("\n")) {
        int eq = line.indexOf('=');
        if (eq > 0 && !line.startsWith("export")) {
          vars.put(line.substring(0, eq), line.substring(eq + 1));
        }
      }
      assertThat(vars).containsOnlyKeys("HCLOUD_ENDPOINT", "HCLOUD_TOKEN");
      assertThat(out).contains("export HCLOUD_ENDPOINT HCLOUD_TOKEN");
      assertThat(vars.get("HCLOUD_ENDPOINT")).isEqualTo("http://127.0.0.1:" + port + "/v1");
      EmulatorControl c = new EmulatorControl("http://127.0.0.1:" + port, vars.get("HCLOUD_TOKEN"));
      assertThat(c.get("/v1/servers").status()).isEqualTo(200);
      assertThat(
              new EmulatorControl("http://127.0.0.1:" + port, "wrong").get("/v1/servers").status())
          .isEqualTo(401);
      // a second start reuses the running emulator
      assertThat(
              run(
                  Map.of("EMULATOR_PORT", Integer.toString(port)),
                  "bash",
                  "deploy/emulator.sh",
                  "start"))
          .isEqualTo(out);
    } finally {
      long pid = Long.parseLong(Files.readString(pidFile).trim());
      run(Map.of(), "bash", "deploy/emulator.sh", "stop");
      assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
      assertThat(pidFile).doesNotExist();
    }
  }
}
