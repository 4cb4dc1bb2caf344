package dev.goldsmith.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The test kit against a real emulator process (virtual backend). */
class EmulatorProcessIT {

  @Test
  void startsAnswersControlsAndStops() throws Exception {
    EmulatorProcess emulator;
    try (EmulatorProcess e = EmulatorProcess.start("virtual", Map.of())) {
      emulator = e;
      assertThat(e.endpoint()).startsWith("http://127.0.0.1:").endsWith("/v1");
      assertThat(e.token()).hasSize(48);
      assertThat(e.slot()).isEmpty();
      EmulatorControl c = e.control();
      assertThat(c.get("/v1/servers").status()).isEqualTo(200);

      Map<String, Object> rule =
          c.addFault(Map.of("method", "GET", "path", "/locations", "count", 1));
      assertThat(rule.get("id")).isNotNull();
      assertThat(c.faults()).hasSize(1);
      assertThat(c.get("/v1/locations").status()).isEqualTo(503);
      assertThat(c.get("/v1/locations").status()).isEqualTo(200);
      c.clearFaults();
      assertThat(c.faults()).isEmpty();

      EmulatorControl.Response created =
          c.raw(
              "POST",
              "/v1/servers",
              Map.of("name", "tk", "server_type", "cx23", "image", "debian-12"));
      assertThat(created.status()).isEqualTo(201);
      List<Map<String, Object>> servers = c.servers();
      assertThat(servers).extracting(s -> s.get("name")).containsExactly("tk");
      assertThat(c.servers("role=none")).isEmpty();
      assertThat(c.images()).extracting(i -> i.get("name")).contains("debian-12");
      assertThat(c.snapshots()).isEmpty();
      assertThat(c.requestsOfToken()).isGreaterThanOrEqualTo(6);
      assertThat(c.requests("POST /v1/servers")).isEqualTo(1);

      Map<String, Object> sf = c.addServerFault(Map.of("kind", "ignore_shutdown"));
      assertThat(c.serverFaults()).extracting(f -> f.get("id")).containsExactly(sf.get("id"));
      c.clearServerFaults();
      assertThat(c.serverFaults()).isEmpty();

      c.reset();
      assertThat(c.servers()).isEmpty();
      assertThat(e.isAlive()).isTrue();
    }
    assertThat(emulator.isAlive()).isFalse();
    assertThat(ProcessHandle.of(emulator.pid()).map(ProcessHandle::isAlive).orElse(false))
        .isFalse();
  }

  @Test
  void stateFileKeepsServersImagesAndActionsAcrossRestarts(@TempDir Path dir) throws Exception {
    String token = EmulatorProcess.randomToken();
    Map<String, String> props = Map.of("emulator.state-file", dir.resolve("state.json").toString());
    long serverId;
    long actionId;
    try (EmulatorProcess e = EmulatorProcess.start("virtual", props, token)) {
      EmulatorControl.Response r =
          e.control()
              .raw(
                  "POST",
                  "/v1/servers",
                  Map.of("name", "keep", "server_type", "cx23", "image", "debian-12"));
      assertThat(r.status()).isEqualTo(201);
      serverId = ((Number) ((Map<?, ?>) r.body().get("server")).get("id")).longValue();
      actionId = ((Number) ((Map<?, ?>) r.body().get("action")).get("id")).longValue();
      long id = serverId;
      await()
          .atMost(Duration.ofSeconds(30))
          .pollInterval(Duration.ofMillis(100))
          .until(() -> status(e, id), "running"::equals);
    }
    try (EmulatorProcess e = EmulatorProcess.start("virtual", props, token)) {
      assertThat(status(e, serverId)).isEqualTo("running");
      EmulatorControl.Response action = e.control().get("/v1/actions/" + actionId);
      assertThat(action.status()).isEqualTo(200);
      assertThat(((Map<?, ?>) action.body().get("action")).get("status")).isEqualTo("success");
      // new ids continue after the saved ones
      EmulatorControl.Response second =
          e.control()
              .raw(
                  "POST",
                  "/v1/servers",
                  Map.of("name", "next", "server_type", "cx23", "image", "debian-12"));
      assertThat(((Number) ((Map<?, ?>) second.body().get("server")).get("id")).longValue())
          .isGreaterThan(serverId);
    }
  }

  private static String status(EmulatorProcess e, long id) {
    EmulatorControl.Response r = e.control().get("/v1/servers/" + id);
    return r.status() == 200
        ? (String) ((Map<?, ?>) r.body().get("server")).get("status")
        : "absent";
  }

  @Test
  void missingJarIsReportedWithTheBuildCommand() {
    String old = System.getProperty("user.dir");
    try {
      System.setProperty("user.dir", "/");
      assertThatThrownBy(() -> EmulatorProcess.start("virtual", Map.of()))
          .hasMessageContaining("mvnw");
    } finally {
      System.setProperty("user.dir", old);
    }
  }
}
