package dev.goldsmith.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Drives the real hcloud CLI (Debian's hcloud-cli) against the emulator, one command after the
 * other, asserting exit codes and output. Backend: system property {@code emulator.it.backend}
 * (default {@code virtual}).
 *
 * <p>The tests run in order on purpose: they are one CLI session (key, server, power actions,
 * snapshot, delete) as a user would type it, each step on what the previous one made.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HcloudCliConformanceIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String SERVER = "conf-1";

  private Path home;
  private EmulatorProcess emulator;
  private Cli cli;
  private Path publicKey;
  private long serverId;
  private long imageId;

  @BeforeAll
  void start() throws Exception {
    home = Files.createTempDirectory("hcloud-cli-it");
    String backend = System.getProperty("emulator.it.backend", "virtual");
    emulator =
        EmulatorProcess.start(
            backend,
            Map.of(
                "emulator.actions.default-duration",
                "200ms",
                "emulator.rate-limit.limit",
                "100000"));
    cli = new Cli(emulator, home);
    Path key = home.resolve("id_conf");
    Process keygen =
        new ProcessBuilder(
                "ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "conf", "-f", key.toString())
            .redirectErrorStream(true)
            .start();
    assertThat(keygen.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(keygen.exitValue()).isZero();
    publicKey = home.resolve("id_conf.pub");
  }

  @AfterAll
  void stop() throws Exception {
    if (emulator != null) {
      emulator.close();
    }
    if (home != null) {
      try (var files = Files.walk(home)) {
        files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  private Cli.Result ok(String... args) {
    Cli.Result r = cli.run(args);
    assertThat(r.exit()).as("hcloud %s\n%s", String.join(" ", args), r).isZero();
    return r;
  }

  private List<Map<String, Object>> serversJson() throws Exception {
    // CLI 1.30.3 prints "null" for an empty list
    List<Map<String, Object>> list =
        JSON.readValue(ok("server", "list", "-o", "json").out(), new TypeReference<>() {});
    return list == null ? List.of() : list;
  }

  private Optional<Map<String, Object>> server(String name) throws Exception {
    return serversJson().stream().filter(s -> name.equals(s.get("name"))).findFirst();
  }

  private void awaitServerStatus(String status, Duration timeout) {
    await()
        .alias(SERVER + " " + status)
        .atMost(timeout)
        .pollInterval(Duration.ofMillis(300))
        .until(
            () -> server(SERVER).map(s -> (String) s.get("status")).orElse("absent"),
            status::equals);
  }

  @Test
  @Order(1)
  void sshKeyCreateAndList() throws Exception {
    Cli.Result r =
        ok(
            "ssh-key",
            "create",
            "--name",
            "conf-key",
            "--public-key-from-file",
            publicKey.toString());
    assertThat(r.out()).matches("(?s)SSH key \\d+ created\\s*");
    Process fp =
        new ProcessBuilder("ssh-keygen", "-l", "-E", "md5", "-f", publicKey.toString()).start();
    String line = new String(fp.getInputStream().readAllBytes()).trim();
    Matcher m = Pattern.compile("MD5:([0-9a-f:]{47})").matcher(line);
    assertThat(m.find()).as(line).isTrue();
    Cli.Result list = ok("ssh-key", "list");
    assertThat(list.out()).contains("conf-key").contains(m.group(1));
    Cli.Result dup =
        cli.run(
            "ssh-key",
            "create",
            "--name",
            "conf-key-2",
            "--public-key-from-file",
            publicKey.toString());
    assertThat(dup.exit()).isNotZero();
    assertThat(dup.err()).contains("uniqueness_error");
  }

  @Test
  @Order(2)
  void serverCreate() {
    Cli.Result r =
        ok(
            "server",
            "create",
            "--name",
            SERVER,
            "--type",
            "cx23",
            "--image",
            "debian-12",
            "--ssh-key",
            "conf-key",
            "--label",
            "role=builder",
            "--location",
            "fsn1");
    Matcher m = Pattern.compile("Server (\\d+) created").matcher(r.out());
    assertThat(m.find()).as(r.toString()).isTrue();
    serverId = Long.parseLong(m.group(1));
    assertThat(r.out()).containsPattern("IPv4:\\s+\\d+\\.\\d+\\.\\d+\\.\\d+");
    assertThat(r.out()).containsPattern("IPv6:\\s+[0-9a-f:]+::1");
    assertThat(r.out()).doesNotContain("Root password");
  }

  @Test
  @Order(3)
  void serverListTableJsonAndSelector() throws Exception {
    Cli.Result table = ok("server", "list");
    assertThat(table.out()).containsPattern(serverId + "\\s+" + SERVER + "\\s+running");
    Map<String, Object> s = server(SERVER).orElseThrow();
    assertThat(s.get("status")).isEqualTo("running");
    assertThat(((Number) s.get("id")).longValue()).isEqualTo(serverId);
    assertThat(s.get("labels")).isEqualTo(Map.of("role", "builder"));
    assertThat(ok("server", "list", "--selector", "role=builder").out()).contains(SERVER);
    assertThat(ok("server", "list", "--selector", "role=other").out()).doesNotContain(SERVER);
    assertThat(ok("server", "list", "--selector", "role in (builder,x)").out()).contains(SERVER);
  }

  @Test
  @Order(4)
  void serverDescribe() {
    Cli.Result r = ok("server", "describe", SERVER);
    assertThat(r.out())
        .containsPattern("Name:\\s+" + SERVER)
        .containsPattern("Status:\\s+running")
        .contains("cx23")
        .contains("fsn1")
        .contains("debian-12")
        .contains("role: builder");
    Cli.Result missing = cli.run("server", "describe", "999999");
    assertThat(missing.exit()).isNotZero();
    assertThat(missing.err()).contains("server not found");
  }

  @Test
  @Order(5)
  void shutdownPoweronPoweroff() throws Exception {
    assertThat(ok("server", "shutdown", SERVER).out())
        .contains("Server " + serverId + " shut down");
    awaitServerStatus("off", Duration.ofMinutes(3));
    assertThat(ok("server", "poweron", SERVER).out()).contains("Server " + serverId + " started");
    awaitServerStatus("running", Duration.ofMinutes(3));
    assertThat(ok("server", "poweroff", SERVER).out()).contains("Server " + serverId + " stopped");
    awaitServerStatus("off", Duration.ofMinutes(1));
  }

  @Test
  @Order(6)
  void createImageAndListBySelector() {
    Cli.Result r =
        ok(
            "server",
            "create-image",
            "--type",
            "snapshot",
            "--description",
            "conf-snap",
            "--label",
            "stage=built",
            SERVER);
    Matcher m = Pattern.compile("Image (\\d+) created from server " + serverId).matcher(r.out());
    assertThat(m.find()).as(r.toString()).isTrue();
    imageId = Long.parseLong(m.group(1));
    Cli.Result list = ok("image", "list", "--type", "snapshot", "--selector", "stage=built");
    assertThat(list.out()).containsPattern(imageId + "\\s+snapshot\\s+-\\s+conf-snap");
    assertThat(ok("image", "list", "--type", "snapshot", "--selector", "stage=other").out())
        .doesNotContain(Long.toString(imageId));
  }

  @Test
  @Order(7)
  void imageUpdateAndAddLabel() {
    assertThat(ok("image", "update", "--description", "conf-snap-2", Long.toString(imageId)).out())
        .contains("Image " + imageId + " updated");
    assertThat(ok("image", "add-label", Long.toString(imageId), "env=test").out())
        .contains("Label env added to image " + imageId);
    Cli.Result d = ok("image", "describe", Long.toString(imageId));
    assertThat(d.out())
        .containsPattern("Description:\\s+conf-snap-2")
        .contains("env: test")
        .contains("stage: built");
  }

  @Test
  @Order(8)
  void protectedImageCannotBeDeleted() {
    String id = Long.toString(imageId);
    assertThat(ok("image", "enable-protection", id, "delete").out())
        .contains("Resource protection enabled for image " + imageId);
    Cli.Result del = cli.run("image", "delete", id);
    assertThat(del.exit()).isNotZero();
    assertThat(del.err()).contains("(protected)");
    assertThat(ok("image", "disable-protection", id, "delete").out())
        .contains("Resource protection disabled for image " + imageId);
    assertThat(ok("image", "delete", id).out()).contains("image " + imageId + " deleted");
    assertThat(ok("image", "list", "--type", "snapshot").out()).doesNotContain(id);
  }

  @Test
  @Order(9)
  void serverDelete() throws Exception {
    assertThat(ok("server", "delete", SERVER).out()).contains("Server " + SERVER + " deleted");
    awaitServerStatus("absent", Duration.ofMinutes(2));
  }

  @Test
  @Order(10)
  void serverTypeAndLocationList() {
    Cli.Result types = ok("server-type", "list");
    assertThat(types.out())
        .containsPattern("116\\s+cx23\\s+2\\s+shared\\s+4.0 GB\\s+40 GB")
        .contains("cax11");
    Cli.Result locations = ok("location", "list");
    for (String l : List.of("fsn1", "nbg1", "hel1", "ash", "hil", "sin")) {
      assertThat(locations.out()).contains(l);
    }
    assertThat(locations.out()).contains("eu-central").contains("ap-southeast");
  }

  @Test
  @Order(11)
  void sshKeyDelete() {
    assertThat(ok("ssh-key", "delete", "conf-key").out()).contains("SSH Key conf-key deleted");
    assertThat(ok("ssh-key", "list").out()).doesNotContain("conf-key");
  }

  @Test
  @Order(12)
  void badTokenIsReported() throws Exception {
    ProcessBuilder pb = new ProcessBuilder(Cli.binary(), "server", "list");
    pb.environment().put("HCLOUD_ENDPOINT", emulator.endpoint());
    pb.environment().put("HCLOUD_TOKEN", "not-a-token");
    pb.environment().put("HOME", home.toString());
    pb.redirectErrorStream(true);
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes());
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).isNotZero();
    assertThat(out).contains("unauthorized");
    assertThat(Files.exists(home)).isTrue();
  }
}
