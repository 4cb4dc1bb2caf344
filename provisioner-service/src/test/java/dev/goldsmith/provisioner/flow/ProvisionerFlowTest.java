package dev.goldsmith.provisioner.flow;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;

import dev.goldsmith.events.BuildFailed;
import dev.goldsmith.events.BuilderReady;
import dev.goldsmith.events.SnapshotCreated;
import dev.goldsmith.hcloud.HcloudClient;
import dev.goldsmith.hcloud.label.LabelSelector;
import dev.goldsmith.hcloud.model.CreateSshKeyRequest;
import dev.goldsmith.hcloud.model.Image;
import dev.goldsmith.hcloud.model.ImageQuery;
import dev.goldsmith.hcloud.model.ImageType;
import dev.goldsmith.hcloud.model.Server;
import dev.goldsmith.hcloud.model.ServerQuery;
import dev.goldsmith.provisioner.cloud.GoldsmithLabels;
import dev.goldsmith.testkit.EmulatorProcess;
import dev.goldsmith.testkit.EmulatorTestResource;
import dev.goldsmith.testkit.InjectEmulator;

/**
 * The provisioner against the emulator (virtual backend) and the real broker: events in on the
 * test's own input topics, outcome events read back from the real topics by build id.
 */
@QuarkusTest
@QuarkusTestResource(
    value = EmulatorTestResource.class,
    initArgs = {
      @ResourceArg(name = "emulator.actions.default-duration", value = "200ms"),
      @ResourceArg(name = "emulator.actions.duration.create_image", value = "2s")
    })
@QuarkusTestResource(TestTopics.class)
class ProvisionerFlowTest {
  static final String CONFIGURATOR_KEY =
      "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIIStq2nWZw7Rw9nEqguQMvRNHIn5gztrnVLRyyEOjxcL"
          + " provisioner-test";
  static final Duration WAIT = Duration.ofSeconds(60);

  @Inject HcloudClient hcloud;

  @InjectEmulator EmulatorProcess emulator;

  @BeforeEach
  void configuratorKeyIsRegistered() {
    registerConfiguratorKey(hcloud);
  }

  @AfterEach
  void noFaultsLeft() {
    emulator.control().clearFaults();
  }

  static void registerConfiguratorKey(HcloudClient hcloud) {
    String selector = GoldsmithLabels.ROLE + "=" + GoldsmithLabels.ROLE_CONFIGURATOR;
    if (hcloud
        .sshKeys()
        .allAndAwait(dev.goldsmith.hcloud.model.SshKeyQuery.all().withLabelSelector(selector))
        .isEmpty()) {
      hcloud
          .sshKeys()
          .createAndAwait(
              new CreateSshKeyRequest(
                  "goldsmith-configurator-test",
                  CONFIGURATOR_KEY,
                  Map.of(
                      GoldsmithLabels.MANAGED,
                      "true",
                      GoldsmithLabels.ROLE,
                      GoldsmithLabels.ROLE_CONFIGURATOR)));
    }
  }

  private List<Server> builders(UUID buildId) {
    return hcloud
        .servers()
        .allAndAwait(
            ServerQuery.all()
                .withLabelSelector(
                    LabelSelector.builder()
                        .eq(GoldsmithLabels.BUILD_ID, buildId.toString())
                        .build()
                        .toString()));
  }

  private List<Image> snapshots(UUID buildId) {
    return hcloud
        .images()
        .allAndAwait(
            ImageQuery.all()
                .withType(ImageType.SNAPSHOT)
                .withLabelSelector(GoldsmithLabels.BUILD_ID + "=" + buildId));
  }

  private static String input(String channel) {
    return TestTopics.INPUTS.get(channel);
  }

  private BuilderReady provision(UUID buildId) {
    Events.send(input("build-accepted"), Events.accepted(buildId));
    List<BuilderReady> ready = Events.await(BuilderReady.class, buildId, 1, WAIT);
    assertThat(ready).as("BuilderReady for %s", buildId).hasSize(1);
    return ready.get(0);
  }

  @Test
  void happyPathBuildsABuilderThenASnapshotAndLeavesNoBuilder() {
    UUID buildId = UUID.randomUUID();

    BuilderReady ready = provision(buildId);

    Server builder = hcloud.servers().getAndAwait(ready.serverId()).orElseThrow();
    assertThat(builder.name()).isEqualTo("gs-base-" + buildId);
    assertThat(builder.status().wireValue()).isEqualTo("running");
    assertThat(builder.labels())
        .containsEntry(GoldsmithLabels.MANAGED, "true")
        .containsEntry(GoldsmithLabels.BUILD_ID, buildId.toString())
        .containsEntry(GoldsmithLabels.FAMILY, "base")
        .containsEntry(GoldsmithLabels.VERSION, "20261125-v1")
        .containsEntry(GoldsmithLabels.ROLE, "builder")
        .containsKey(GoldsmithLabels.CREATED_AT);
    assertThat(Long.parseLong(builder.labels().get(GoldsmithLabels.CREATED_AT)))
        .isCloseTo(System.currentTimeMillis() / 1000, org.assertj.core.data.Offset.offset(120L));
    assertThat(builder.locationName()).contains("fsn1");
    assertThat(ready.ipv4()).isEqualTo(builder.ipv4Address().orElseThrow());
    assertThat(ready.ipv6()).isEqualTo(builder.ipv6HostAddress().orElseThrow()).endsWith("::1");

    Events.send(input("builder-configured"), Events.configured(buildId, ready.serverId(), true));
    List<SnapshotCreated> created = Events.await(SnapshotCreated.class, buildId, 1, WAIT);

    assertThat(created).hasSize(1);
    Image snapshot = hcloud.images().getAndAwait(created.get(0).imageId()).orElseThrow();
    assertThat(snapshot.type()).isEqualTo(ImageType.SNAPSHOT);
    assertThat(snapshot.status().wireValue()).isEqualTo("available");
    assertThat(snapshot.description()).isEqualTo("base-20261125-v1");
    assertThat(snapshot.labels())
        .containsEntry(GoldsmithLabels.MANAGED, "true")
        .containsEntry(GoldsmithLabels.FAMILY, "base")
        .containsEntry(GoldsmithLabels.VERSION, "20261125-v1")
        .containsEntry(GoldsmithLabels.BUILD_ID, buildId.toString())
        .containsEntry(GoldsmithLabels.STATE, "candidate")
        .containsEntry(GoldsmithLabels.BASE_IMAGE, Long.toString(builder.image().id()));
    assertThat(created.get(0).imageSizeGb()).isEqualTo(snapshot.imageSize());
    assertThat(hcloud.servers().getAndAwait(ready.serverId())).isEmpty();
    assertThat(builders(buildId)).isEmpty();
  }

  @Test
  void redeliveredBuildAcceptedCreatesExactlyOneServer() {
    UUID buildId = UUID.randomUUID();

    Events.send(input("build-accepted"), Events.accepted(buildId));
    Events.send(input("build-accepted"), Events.accepted(buildId));
    List<BuilderReady> ready = Events.await(BuilderReady.class, buildId, 2, WAIT);

    assertThat(ready).hasSize(2);
    assertThat(ready.get(1).serverId()).isEqualTo(ready.get(0).serverId());
    assertThat(builders(buildId)).hasSize(1);
  }

  @Test
  void redeliveredBuilderConfiguredCreatesOneSnapshot() {
    UUID buildId = UUID.randomUUID();
    BuilderReady ready = provision(buildId);

    Events.send(input("builder-configured"), Events.configured(buildId, ready.serverId(), true));
    Events.send(input("builder-configured"), Events.configured(buildId, ready.serverId(), true));
    List<SnapshotCreated> created = Events.await(SnapshotCreated.class, buildId, 2, WAIT);

    assertThat(created).hasSize(2);
    assertThat(created.get(1).imageId()).isEqualTo(created.get(0).imageId());
    assertThat(snapshots(buildId)).hasSize(1);
    assertThat(builders(buildId)).isEmpty();
  }

  @Test
  void failedPlaybookDeletesTheBuilderAndPublishesBuildFailedAtConfigure() {
    UUID buildId = UUID.randomUUID();
    BuilderReady ready = provision(buildId);

    Events.send(input("builder-configured"), Events.configured(buildId, ready.serverId(), false));
    List<BuildFailed> failed = Events.await(BuildFailed.class, buildId, 1, WAIT);

    assertThat(failed).hasSize(1);
    assertThat(failed.get(0).stage()).isEqualTo(BuildFailed.Stage.CONFIGURE);
    assertThat(failed.get(0).reasonClass()).hasToString("playbook_failed");
    assertThat(failed.get(0).message()).contains("Install packages").contains("apt failed");
    assertThat(failed.get(0).resources()).isEmpty();
    assertThat(builders(buildId)).isEmpty();
    assertThat(snapshots(buildId)).isEmpty();
  }

  @Test
  void createActionErrorEndsInBuildFailedWithNoServerLeft() {
    UUID buildId = UUID.randomUUID();
    emulator
        .control()
        .addFault(Map.of("method", "POST", "path", "/servers", "kind", "action_error", "count", 1));

    Events.send(input("build-accepted"), Events.accepted(buildId));
    List<BuildFailed> failed = Events.await(BuildFailed.class, buildId, 1, WAIT);

    assertThat(failed).hasSize(1);
    assertThat(failed.get(0).stage()).isEqualTo(BuildFailed.Stage.PROVISION);
    assertThat(failed.get(0).reasonClass()).hasToString("action_failed");
    assertThat(failed.get(0).family()).isEqualTo("base");
    assertThat(builders(buildId)).isEmpty();
    assertThat(Events.await(BuilderReady.class, buildId, 1, Duration.ofSeconds(2))).isEmpty();
  }

  @Test
  void shutdownAndPoweroffActionErrorsEndInBuildFailedWithNoServerLeft() {
    UUID buildId = UUID.randomUUID();
    BuilderReady ready = provision(buildId);
    // the graceful shutdown fails, and so does the hard power-off it falls back to
    emulator
        .control()
        .addFault(
            Map.of(
                "method",
                "POST",
                "path",
                "/servers/*/actions/shutdown",
                "kind",
                "action_error",
                "count",
                1));
    emulator
        .control()
        .addFault(
            Map.of(
                "method",
                "POST",
                "path",
                "/servers/*/actions/poweroff",
                "kind",
                "action_error",
                "count",
                1));

    Events.send(input("builder-configured"), Events.configured(buildId, ready.serverId(), true));
    List<BuildFailed> failed = Events.await(BuildFailed.class, buildId, 1, WAIT);

    assertThat(failed).hasSize(1);
    assertThat(failed.get(0).stage()).isEqualTo(BuildFailed.Stage.SNAPSHOT);
    assertThat(failed.get(0).reasonClass()).hasToString("action_failed");
    assertThat(builders(buildId)).isEmpty();
    assertThat(snapshots(buildId)).isEmpty();
  }

  @Test
  void createImageActionErrorEndsInBuildFailedWithNoServerAndNoSnapshotLeft() {
    UUID buildId = UUID.randomUUID();
    BuilderReady ready = provision(buildId);
    emulator
        .control()
        .addFault(
            Map.of(
                "method",
                "POST",
                "path",
                "/servers/*/actions/create_image",
                "kind",
                "action_error",
                "count",
                1));

    Events.send(input("builder-configured"), Events.configured(buildId, ready.serverId(), true));
    List<BuildFailed> failed = Events.await(BuildFailed.class, buildId, 1, WAIT);

    assertThat(failed).hasSize(1);
    assertThat(failed.get(0).stage()).isEqualTo(BuildFailed.Stage.SNAPSHOT);
    assertThat(failed.get(0).reasonClass()).hasToString("action_failed");
    assertThat(failed.get(0).resources()).isEmpty();
    assertThat(builders(buildId)).isEmpty();
    assertThat(snapshots(buildId)).isEmpty();
    assertThat(Events.await(SnapshotCreated.class, buildId, 1, Duration.ofSeconds(2))).isEmpty();
  }

  @Test
  void builderConfiguredForAnUnknownBuildFailsWithBuilderMissing() {
    UUID buildId = UUID.randomUUID();

    Events.send(input("builder-configured"), Events.configured(buildId, 999_999, true));
    List<BuildFailed> failed = Events.await(BuildFailed.class, buildId, 1, WAIT);

    assertThat(failed).hasSize(1);
    assertThat(failed.get(0).stage()).isEqualTo(BuildFailed.Stage.SNAPSHOT);
    assertThat(failed.get(0).reasonClass()).hasToString("builder_missing");
  }

  @Test
  void snapshotStartedByAnEarlierRunIsReusedNotDuplicated() {
    UUID buildId = UUID.randomUUID();
    BuilderReady ready = provision(buildId);
    // an earlier run got as far as create_image before it died
    long earlier =
        hcloud
            .servers()
            .createImageAndAwait(
                ready.serverId(),
                dev.goldsmith.hcloud.model.CreateImageRequest.snapshot(
                    "base-20261125-v1", GoldsmithLabels.snapshot(buildId, Events.spec(), 1L)))
            .image()
            .id();

    Events.send(input("builder-configured"), Events.configured(buildId, ready.serverId(), true));
    List<SnapshotCreated> created = Events.await(SnapshotCreated.class, buildId, 1, WAIT);

    assertThat(created).singleElement().extracting(SnapshotCreated::imageId).isEqualTo(earlier);
    assertThat(snapshots(buildId)).singleElement().extracting(Image::id).isEqualTo(earlier);
    assertThat(builders(buildId)).isEmpty();
  }

  @Test
  void missingConfiguratorKeyFailsTheBuildAfterAShortWaitWithoutAServer() {
    UUID buildId = UUID.randomUUID();
    hcloud
        .sshKeys()
        .allAndAwait(
            dev.goldsmith.hcloud.model.SshKeyQuery.all()
                .withLabelSelector(GoldsmithLabels.ROLE + "=" + GoldsmithLabels.ROLE_CONFIGURATOR))
        .forEach(k -> hcloud.sshKeys().deleteAndAwait(k.id()));

    Events.send(input("build-accepted"), Events.accepted(buildId));
    List<BuildFailed> failed = Events.await(BuildFailed.class, buildId, 1, WAIT);

    assertThat(failed).hasSize(1);
    assertThat(failed.get(0).stage()).isEqualTo(BuildFailed.Stage.PROVISION);
    assertThat(failed.get(0).reasonClass()).hasToString("ssh_key_missing");
    assertThat(builders(buildId)).isEmpty();
  }
}
