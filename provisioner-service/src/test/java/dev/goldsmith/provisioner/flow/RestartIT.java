package dev.goldsmith.provisioner.flow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.goldsmith.events.BuilderReady;
import dev.goldsmith.events.SnapshotCreated;
import dev.goldsmith.hcloud.HcloudClient;
import dev.goldsmith.hcloud.HcloudConfig;
import dev.goldsmith.hcloud.model.CreateSshKeyRequest;
import dev.goldsmith.hcloud.model.Image;
import dev.goldsmith.hcloud.model.ImageQuery;
import dev.goldsmith.hcloud.model.ImageStatus;
import dev.goldsmith.hcloud.model.ImageType;
import dev.goldsmith.hcloud.model.ServerQuery;
import dev.goldsmith.support.cloud.GoldsmithLabels;
import dev.goldsmith.testkit.EmulatorProcess;
import dev.goldsmith.testkit.KafkaTestSupport;

/**
 * A true process restart: the packaged provisioner runs as a child process, is killed (SIGKILL)
 * while it waits for the snapshot, and a fresh process finishes the build from the redelivered
 * BuilderConfigured and the resources it finds by label: one snapshot, no builder.
 */
class RestartIT {
  static EmulatorProcess emulator;
  static HcloudClient hcloud;
  static Map<String, String> topics;
  static final List<Process> apps = new ArrayList<>();

  @BeforeAll
  static void start() {
    emulator =
        EmulatorProcess.start(
            "virtual",
            Map.of(
                "emulator.actions.default-duration", "200ms",
                "emulator.actions.duration.create_image", "40s"));
    hcloud = HcloudClient.create(HcloudConfig.of(emulator.endpoint(), emulator.token()));
    topics = TestTopics.create();
    hcloud
        .sshKeys()
        .createAndAwait(
            new CreateSshKeyRequest(
                "goldsmith-configurator-it",
                "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIIStq2nWZw7Rw9nEqguQMvRNHIn5gztrnVLRyyEOjxcL"
                    + " provisioner-test",
                Map.of(GoldsmithLabels.MANAGED, "true", GoldsmithLabels.ROLE, "configurator")));
  }

  @AfterAll
  static void stop() {
    apps.forEach(Process::destroyForcibly);
    if (hcloud != null) {
      hcloud.close();
    }
    if (emulator != null) {
      emulator.close();
    }
  }

  static Process startApp(int n) throws IOException {
    Path jar = Path.of("target", "quarkus-app", "quarkus-run.jar").toAbsolutePath();
    assertThat(jar).as("packaged application").exists();
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-Xmx256m");
    cmd.add("-Dquarkus.http.port=" + freePort());
    cmd.add("-Dquarkus.http.host=127.0.0.1");
    cmd.add("-Dgoldsmith.provisioner.poll-interval=200ms");
    cmd.add("-Dgoldsmith.provisioner.snapshot.shutdown-grace=3s");
    cmd.add("-Dgoldsmith.provisioner.janitor.interval=1h");
    cmd.add(
        "-Dgoldsmith.provisioner.builder.host-key-dir="
            + Path.of("target", "restart-it-host-keys").toAbsolutePath());
    // a killed consumer's partitions move to the new process once its session expires
    cmd.add("-Dmp.messaging.incoming.builder-configured.session.timeout.ms=8000");
    cmd.add("-Dmp.messaging.incoming.build-accepted.session.timeout.ms=8000");
    topics.forEach((k, v) -> cmd.add("-D" + k + "=" + v));
    cmd.add("-jar");
    cmd.add(jar.toString());
    Path log = Path.of("target", "restart-it-app-" + n + ".log");
    Files.createDirectories(log.getParent());
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.redirectOutput(log.toFile());
    pb.environment().put("HCLOUD_ENDPOINT", emulator.endpoint());
    pb.environment().put("HCLOUD_TOKEN", emulator.token());
    pb.environment().put("KAFKA_BOOTSTRAP_SERVERS", KafkaTestSupport.bootstrapServers());
    Process p = pb.start();
    apps.add(p);
    return p;
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  static List<Image> snapshots(UUID buildId) {
    return hcloud
        .images()
        .allAndAwait(
            ImageQuery.all()
                .withType(ImageType.SNAPSHOT)
                .withLabelSelector(GoldsmithLabels.BUILD_ID + "=" + buildId));
  }

  static int builders(UUID buildId) {
    return hcloud
        .servers()
        .allAndAwait(ServerQuery.all().withLabelSelector(GoldsmithLabels.BUILD_ID + "=" + buildId))
        .size();
  }

  @Test
  void killedDuringTheSnapshotWaitARestartedServiceFinishesWithOneSnapshotAndNoBuilder()
      throws Exception {
    UUID buildId = UUID.randomUUID();
    Process first = startApp(1);

    Events.send(TestTopics.INPUTS.get("build-accepted"), Events.accepted(buildId));
    List<BuilderReady> ready =
        Events.await(BuilderReady.class, buildId, 1, Duration.ofSeconds(120));
    assertThat(ready).as("BuilderReady from the first process").hasSize(1);

    Events.send(
        TestTopics.INPUTS.get("builder-configured"),
        Events.configured(buildId, ready.get(0).serverId(), true));
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(200))
        .until(() -> snapshots(buildId).stream().anyMatch(i -> i.status() == ImageStatus.CREATING));
    assertThat(snapshots(buildId))
        .singleElement()
        .extracting(Image::status)
        .isEqualTo(ImageStatus.CREATING);

    first.destroyForcibly();
    assertThat(first.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(builders(buildId)).as("the builder survives the crash").isEqualTo(1);
    assertThat(Events.await(SnapshotCreated.class, buildId, 1, Duration.ofSeconds(1))).isEmpty();

    startApp(2);
    List<SnapshotCreated> created =
        Events.await(SnapshotCreated.class, buildId, 1, Duration.ofSeconds(180));

    assertThat(created).as("SnapshotCreated from the restarted process").hasSize(1);
    List<Image> images = snapshots(buildId);
    assertThat(images).singleElement().extracting(Image::id).isEqualTo(created.get(0).imageId());
    assertThat(images.get(0).status()).isEqualTo(ImageStatus.AVAILABLE);
    assertThat(builders(buildId)).isZero();
  }
}
