package dev.goldsmith.provisioner.janitor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;

import dev.goldsmith.events.BuildAccepted;
import dev.goldsmith.events.BuildSpec;
import dev.goldsmith.events.BuilderConfigured;
import dev.goldsmith.events.BuilderReady;
import dev.goldsmith.events.SnapshotCreated;
import dev.goldsmith.hcloud.HcloudClient;
import dev.goldsmith.hcloud.model.Image;
import dev.goldsmith.hcloud.model.ImageQuery;
import dev.goldsmith.hcloud.model.ImageType;
import dev.goldsmith.provisioner.cloud.Cloud;
import dev.goldsmith.provisioner.config.ProvisionerConfig;
import dev.goldsmith.provisioner.flow.Events;
import dev.goldsmith.provisioner.flow.ProvisionerFlowIT;
import dev.goldsmith.provisioner.flow.TestTopics;
import dev.goldsmith.support.cloud.GoldsmithLabels;
import dev.goldsmith.testkit.EmulatorProcess;
import dev.goldsmith.testkit.InjectEmulator;

/**
 * Issue 15: a janitor whose builder TTL is shorter than a build's create_image, beside that build,
 * never reaps its builder, because the registry (a stand-in answering the build as {@code
 * CONFIGURED}, i.e. in progress) says the build is active. Scaled down: TTL 3 s, create_image
 * slowed to 15 s through the emulator's control API; the janitor sweeps while the builder is older
 * than the TTL and the snapshot is still being created. The old janitor (age alone) deleted it.
 */
@QuarkusTest
class JanitorBesideSlowSnapshotIT {
  static final Duration TTL = Duration.ofSeconds(3);
  static final Duration WAIT = Duration.ofSeconds(90);

  @Inject HcloudClient hcloud;
  @Inject Cloud cloud;
  @Inject ProvisionerConfig config;
  @Inject TerminalBuilds terminal;
  @Inject RegistryLookup lookup;
  @Inject MeterRegistry registry;

  @InjectEmulator EmulatorProcess emulator;

  @AfterEach
  void normalSpeed() {
    emulator.control().raw("DELETE", "/_emulator/action-durations", null);
  }

  private List<Image> snapshots(UUID buildId) {
    return hcloud
        .images()
        .allAndAwait(
            ImageQuery.all()
                .withType(ImageType.SNAPSHOT)
                .withLabelSelector(GoldsmithLabels.BUILD_ID + "=" + buildId));
  }

  @Test
  void aBuilderOlderThanItsTtlIsNotReapedWhileItsBuildIsActiveInTheRegistry() {
    ProvisionerFlowIT.registerConfiguratorKey(hcloud);
    Janitor shortTtl =
        new Janitor(
            cloud,
            DryRun.withTtl(config, TTL),
            terminal,
            lookup,
            registry,
            Optional.of("provisioner-tests"));
    UUID buildId = UUID.randomUUID();
    StandInRegistry.STATUSES.put(buildId, "ACCEPTED");
    // the installation's own build: the janitor sees (and, by age alone, would reap) its builder
    BuildSpec spec = Events.spec().withInstallationId("provisioner-tests");
    Events.send(
        TestTopics.INPUTS.get("build-accepted"), new BuildAccepted(buildId, spec, Instant.now()));
    BuilderReady ready = Events.await(BuilderReady.class, buildId, 1, WAIT).get(0);
    StandInRegistry.STATUSES.put(buildId, "CONFIGURED");
    emulator.control().raw("POST", "/_emulator/action-durations", Map.of("create_image", 15_000));

    assertThat(hcloud.servers().getAndAwait(ready.serverId()).orElseThrow().labels())
        .containsEntry(GoldsmithLabels.INSTALLATION, "provisioner-tests");
    Events.send(
        TestTopics.INPUTS.get("builder-configured"),
        new BuilderConfigured(
            buildId,
            spec,
            ready.serverId(),
            BuilderConfigured.Outcome.OK,
            null,
            null,
            null,
            3,
            null,
            Instant.now()));
    // the snapshot is being created, and the builder is older than the janitor's TTL
    await().atMost(WAIT).until(() -> !snapshots(buildId).isEmpty());
    Instant created =
        GoldsmithLabels.createdAt(
                hcloud.servers().getAndAwait(ready.serverId()).orElseThrow().labels())
            .orElseThrow();
    await().atMost(WAIT).until(() -> Instant.now().isAfter(created.plus(TTL).plusSeconds(1)));
    List<Janitor.Deletion> sweeps = new ArrayList<>();
    List<String> snapshotStatuses = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      snapshotStatuses.add(snapshots(buildId).get(0).status().wireValue());
      sweeps.addAll(shortTtl.sweep().await().atMost(WAIT));
    }

    assertThat(snapshotStatuses).as("swept while create_image ran").contains("creating");
    assertThat(sweeps).extracting(Janitor.Deletion::id).doesNotContain(ready.serverId());
    List<SnapshotCreated> done = Events.await(SnapshotCreated.class, buildId, 1, WAIT);
    assertThat(done).as("the build went on to its snapshot").hasSize(1);
    assertThat(snapshots(buildId))
        .singleElement()
        .extracting(i -> i.status().wireValue())
        .isEqualTo("available");
    StandInRegistry.STATUSES.remove(buildId);
  }
}
