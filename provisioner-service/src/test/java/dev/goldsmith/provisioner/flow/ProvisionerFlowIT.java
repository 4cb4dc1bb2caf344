package dev.goldsmith.provisioner.flow;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
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
import dev.goldsmith.events.BuilderConfigured;
import dev.goldsmith.events.BuilderReady;
import dev.goldsmith.events.Patterns;
import dev.goldsmith.events.Provenance;
import dev.goldsmith.events.SnapshotCreated;
import dev.goldsmith.hcloud.HcloudClient;
import dev.goldsmith.hcloud.label.LabelSelector;
import dev.goldsmith.hcloud.model.CreateServerRequest;
import dev.goldsmith.hcloud.model.CreateSshKeyRequest;
import dev.goldsmith.hcloud.model.Image;
import dev.goldsmith.hcloud.model.ImageQuery;
import dev.goldsmith.hcloud.model.ImageType;
import dev.goldsmith.hcloud.model.Server;
import dev.goldsmith.hcloud.model.ServerQuery;
import dev.goldsmith.provisioner.hostkeys.BuilderHostKeys;
import dev.goldsmith.support.cloud.GoldsmithLabels;
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
public class ProvisionerFlowIT {
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

  public static void registerConfiguratorKey(HcloudClient hcloud) {
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

  private static Path hostKeyFile(UUID buildId) {
    return Path.of("target", "host-keys", buildId + ".pub");
  }

  /** The user data the emulator received for {@code serverId}, from its state dump. */
  private String userData(long serverId) {
    return findUserData(emulator.control().state(), serverId)
        .orElseThrow(() -> new AssertionError("no user data for server " + serverId));
  }

  private static java.util.Optional<String> findUserData(Object node, long serverId) {
    if (node instanceof Map<?, ?> m) {
      if (m.get("id") instanceof Number id
          && id.longValue() == serverId
          && m.get("user_data") instanceof String u) {
        return java.util.Optional.of(u);
      }
      for (Object v : m.values()) {
        var found = findUserData(v, serverId);
        if (found.isPresent()) {
          return found;
        }
      }
    } else if (node instanceof List<?> l) {
      for (Object v : l) {
        var found = findUserData(v, serverId);
        if (found.isPresent()) {
          return found;
        }
      }
    }
    return java.util.Optional.empty();
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
    // the host key BuilderReady pins is the one the builder got through cloud-init
    assertThat(ready.hostKey()).matches(Patterns.HOST_KEY);
    assertThat(builder.labels())
        .containsEntry(BuilderHostKeys.LABEL, BuilderHostKeys.fingerprintLabel(ready.hostKey()));
    String userData = userData(ready.serverId());
    assertThat(userData)
        .startsWith("#cloud-config\n")
        .contains("ssh_deletekeys: true")
        .contains("ed25519_private: |")
        .contains("-----BEGIN OPENSSH PRIVATE KEY-----")
        .contains("ed25519_public: \"" + ready.hostKey() + "\"");
    assertThat(hostKeyFile(buildId)).hasContent(ready.hostKey());

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
        .containsEntry(GoldsmithLabels.BASE_IMAGE, Long.toString(builder.image().id()))
        // provenance: the configurator's, with the image the builder was made from
        .containsEntry(GoldsmithLabels.SOURCE_IMAGE, builder.image().name())
        .containsEntry(GoldsmithLabels.SERVER_TYPE, "cx23")
        .containsEntry(GoldsmithLabels.LOCATION, "fsn1")
        .containsEntry(GoldsmithLabels.ANSIBLE_REV, "c61c3a77114f-dirty")
        .containsEntry(
            GoldsmithLabels.ROLES_SHA256, Events.CONFIGURED.rolesSha256().substring(0, 63))
        .containsEntry(
            GoldsmithLabels.VARS_SHA256, Events.CONFIGURED.extraVarsSha256().substring(0, 63));
    assertThat(created.get(0).provenance())
        .isEqualTo(
            Provenance.withSourceImage(
                Events.CONFIGURED, builder.image().id(), builder.image().name()));
    assertThat(created.get(0).imageSizeGb()).isEqualTo(snapshot.imageSize());
    assertThat(hcloud.servers().getAndAwait(ready.serverId())).isEmpty();
    assertThat(builders(buildId)).isEmpty();
    assertThat(hostKeyFile(buildId)).as("forgotten with its builder").doesNotExist();
  }

  @Test
  void redeliveredBuildAcceptedCreatesExactlyOneServer() {
    UUID buildId = UUID.randomUUID();

    Events.send(input("build-accepted"), Events.accepted(buildId));
    Events.send(input("build-accepted"), Events.accepted(buildId));
    List<BuilderReady> ready = Events.await(BuilderReady.class, buildId, 2, WAIT);

    assertThat(ready).hasSize(2);
    assertThat(ready.get(1).serverId()).isEqualTo(ready.get(0).serverId());
    assertThat(ready.get(1).hostKey()).isEqualTo(ready.get(0).hostKey());
    assertThat(builders(buildId)).hasSize(1);
  }

  @Test
  void builderWhoseHostKeyIsNotRecordedIsReplacedNotPinnedBlindly() {
    UUID buildId = UUID.randomUUID();
    // e.g. made by another instance, or this one lost its host-key directory: its key is unknown
    var stale =
        hcloud
            .servers()
            .createAndAwait(
                CreateServerRequest.builder("gs-base-" + buildId, "cx23", "debian-12")
                    .location("fsn1")
                    .labels(GoldsmithLabels.builder(buildId, Events.spec(), Instant.now()))
                    .build());
    hcloud.actions().waitForAndAwait(stale.allActions(), WAIT);

    BuilderReady ready = provision(buildId);

    assertThat(ready.serverId()).isNotEqualTo(stale.server().id());
    assertThat(hcloud.servers().getAndAwait(stale.server().id())).isEmpty();
    assertThat(builders(buildId)).extracting(Server::id).containsExactly(ready.serverId());
    assertThat(userData(ready.serverId())).contains(ready.hostKey());
  }

  @Test
  void hostKeyMismatchAtTheConfiguratorEndsInBuildFailedWithThatReason() {
    UUID buildId = UUID.randomUUID();
    BuilderReady ready = provision(buildId);

    Events.send(
        input("builder-configured"),
        Events.configured(buildId, ready.serverId(), BuilderConfigured.HOST_KEY_MISMATCH));
    List<BuildFailed> failed = Events.await(BuildFailed.class, buildId, 1, WAIT);

    assertThat(failed).hasSize(1);
    assertThat(failed.get(0).stage()).isEqualTo(BuildFailed.Stage.CONFIGURE);
    assertThat(failed.get(0).reasonClass()).hasToString(BuilderConfigured.HOST_KEY_MISMATCH);
    assertThat(failed.get(0).message()).startsWith("configure failed (host_key_mismatch)");
    assertThat(builders(buildId)).isEmpty();
    assertThat(hostKeyFile(buildId)).doesNotExist();
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
    // the second run may find only the snapshot: its labels still name the source image
    assertThat(created.get(1).provenance()).isEqualTo(created.get(0).provenance());
    assertThat(created.get(0).provenance().sourceImageId()).isPositive();
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
    assertThat(hostKeyFile(buildId)).doesNotExist();
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
