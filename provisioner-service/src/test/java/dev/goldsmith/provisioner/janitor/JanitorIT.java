package dev.goldsmith.provisioner.janitor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

import dev.goldsmith.events.BuildFailed;
import dev.goldsmith.hcloud.HcloudClient;
import dev.goldsmith.hcloud.model.CreateServerRequest;
import dev.goldsmith.hcloud.model.CreateSshKeyRequest;
import dev.goldsmith.hcloud.model.Server;
import dev.goldsmith.hcloud.model.SshKey;
import dev.goldsmith.provisioner.cloud.Cloud;
import dev.goldsmith.provisioner.config.ProvisionerConfig;
import dev.goldsmith.provisioner.flow.Events;
import dev.goldsmith.provisioner.flow.TestTopics;
import dev.goldsmith.support.cloud.GoldsmithLabels;

/**
 * The janitor against the emulator: resources are made directly through the API with the labels
 * (and ages) under test, then a sweep runs. Shares the application, emulator and topics of the flow
 * tests (same test resources).
 */
@QuarkusTest
@QuarkusTestResource(StandInRegistry.class)
class JanitorIT {
  // Generated for these tests only; public keys are not secrets.
  static final String TEMP_KEY =
      "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIIfckg2v453dEwcVYbx/dUs9esVi56T6pLsOpKXFMofz janitor-1";
  static final String SERVICE_KEY =
      "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAINsO71stk5eh1Wf3QlvdfPgmxoWkTMIHgv4w1WzgLV4r janitor-2";

  @Inject HcloudClient hcloud;
  @Inject Janitor janitor;
  @Inject Cloud cloud;
  @Inject ProvisionerConfig config;
  @Inject TerminalBuilds terminal;
  @Inject MeterRegistry registry;
  @Inject RegistryLookup lookup;

  /** Creates a server and waits for its create actions (a server is locked until then). */
  private Server server(String name, Map<String, String> labels) {
    var created =
        hcloud
            .servers()
            .createAndAwait(
                CreateServerRequest.builder(name, "cx23", "debian-12")
                    .location("fsn1")
                    .labels(labels)
                    .build());
    hcloud.actions().waitForAndAwait(created.allActions(), Duration.ofSeconds(60));
    return created.server();
  }

  private static Map<String, String> managed(String role, UUID buildId, Instant createdAt) {
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put(GoldsmithLabels.MANAGED, "true");
    labels.put(GoldsmithLabels.INSTALLATION, "provisioner-tests");
    labels.put(GoldsmithLabels.ROLE, role);
    if (buildId != null) {
      labels.put(GoldsmithLabels.BUILD_ID, buildId.toString());
    }
    labels.put(GoldsmithLabels.CREATED_AT, Long.toString(createdAt.getEpochSecond()));
    return labels;
  }

  private boolean exists(Server s) {
    return hcloud.servers().getAndAwait(s.id()).isPresent();
  }

  private double deletions(String reason) {
    var counter =
        registry
            .find("goldsmith.janitor.deletions")
            .tag("reason", reason)
            .tag("dry_run", "false")
            .tag("kind", "server")
            .counter();
    return counter == null ? 0 : counter.count();
  }

  @Test
  void sweepDeletesOldOrphansButNotYoungInProgressUnmanagedOrServiceResources() {
    Instant now = Instant.now();
    String tag = UUID.randomUUID().toString().substring(0, 8);
    Server orphan =
        server(
            "jt-orphan-" + tag,
            managed("builder", UUID.randomUUID(), now.minus(Duration.ofHours(3))));
    Server oldTest =
        server(
            "jt-test-" + tag,
            managed("test", UUID.randomUUID(), now.minus(Duration.ofMinutes(90))));
    Server young =
        server(
            "jt-young-" + tag,
            managed("builder", UUID.randomUUID(), now.minus(Duration.ofMinutes(30))));
    Map<String, String> unmanagedLabels =
        managed("builder", UUID.randomUUID(), now.minus(Duration.ofHours(5)));
    unmanagedLabels.remove(GoldsmithLabels.MANAGED);
    Server unmanaged = server("jt-unmanaged-" + tag, unmanagedLabels);
    // Managed, but by another Goldsmith installation; and managed without any installation id.
    Map<String, String> foreignLabels =
        managed("builder", UUID.randomUUID(), now.minus(Duration.ofHours(5)));
    foreignLabels.put(GoldsmithLabels.INSTALLATION, "another-installation");
    Server foreign = server("jt-foreign-" + tag, foreignLabels);
    Map<String, String> noIdLabels =
        managed("builder", UUID.randomUUID(), now.minus(Duration.ofHours(5)));
    noIdLabels.remove(GoldsmithLabels.INSTALLATION);
    Server noId = server("jt-no-installation-" + tag, noIdLabels);
    SshKey serviceKey =
        hcloud
            .sshKeys()
            .createAndAwait(
                new CreateSshKeyRequest(
                    "jt-verifier-" + tag,
                    SERVICE_KEY,
                    managed("verifier", null, now.minus(Duration.ofDays(400)))));
    double ttlBefore = deletions("ttl_expired");

    List<Janitor.Deletion> deleted = janitor.sweep().await().atMost(Duration.ofSeconds(60));

    assertThat(deleted)
        .extracting(Janitor.Deletion::id)
        .contains(orphan.id(), oldTest.id())
        .doesNotContain(young.id(), unmanaged.id(), serviceKey.id(), foreign.id(), noId.id());
    assertThat(deleted)
        .filteredOn(d -> d.id() == orphan.id())
        .singleElement()
        .extracting(Janitor.Deletion::reason)
        .isEqualTo(Janitor.Reason.TTL_EXPIRED);
    assertThat(exists(orphan)).isFalse();
    assertThat(exists(oldTest)).isFalse();
    assertThat(exists(young)).isTrue();
    assertThat(exists(unmanaged)).isTrue();
    assertThat(exists(foreign)).as("another installation's server").isTrue();
    assertThat(exists(noId)).as("a server without installation id").isTrue();
    assertThat(hcloud.sshKeys().getAndAwait(serviceKey.id())).isPresent();
    assertThat(deletions("ttl_expired")).isGreaterThanOrEqualTo(ttlBefore + 2);

    hcloud.servers().deleteAndAwait(young.id());
    hcloud.servers().deleteAndAwait(unmanaged.id());
    hcloud.servers().deleteAndAwait(foreign.id());
    hcloud.servers().deleteAndAwait(noId.id());
    hcloud.sshKeys().deleteAndAwait(serviceKey.id());
  }

  @Test
  void terminalBuildEventReapsThatBuildsYoungServerAndTempKey() throws Exception {
    UUID buildId = UUID.randomUUID();
    Instant now = Instant.now();
    Server leftover =
        server("jt-terminal-" + buildId.toString().substring(0, 8), managed("test", buildId, now));
    SshKey tempKey =
        hcloud
            .sshKeys()
            .createAndAwait(
                new CreateSshKeyRequest(
                    "jt-temp-" + buildId.toString().substring(0, 8),
                    TEMP_KEY,
                    managed("test", buildId, now)));
    UUID otherBuild = UUID.randomUUID();
    Server bystander =
        server(
            "jt-bystander-" + otherBuild.toString().substring(0, 8),
            managed("test", otherBuild, now));

    Events.send(
        TestTopics.INPUTS.get("janitor-build-failed"),
        new BuildFailed(
            buildId,
            "base",
            "20261125-v1",
            BuildFailed.Stage.VERIFY,
            "infra_failure",
            "test servers could not boot",
            List.of(
                new BuildFailed.ResourceRef(BuildFailed.ResourceRef.Kind.SERVER, leftover.id())),
            now));

    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(300))
        .until(() -> !exists(leftover) && hcloud.sshKeys().getAndAwait(tempKey.id()).isEmpty());

    assertThat(terminal.isTerminal(buildId)).isTrue();
    assertThat(exists(leftover)).isFalse();
    assertThat(hcloud.sshKeys().getAndAwait(tempKey.id())).isEmpty();
    assertThat(exists(bystander)).isTrue();
    assertThat(terminal.isTerminal(otherBuild)).isFalse();
    hcloud.servers().deleteAndAwait(bystander.id());
  }

  @Test
  void sweepTreatsAServerOfATerminalBuildAsAnOrphanWhateverItsAge() {
    UUID buildId = UUID.randomUUID();
    Server young =
        server(
            "jt-done-" + buildId.toString().substring(0, 8),
            managed("builder", buildId, Instant.now()));
    terminal.add(buildId, "image_promoted");

    List<Janitor.Deletion> deleted = janitor.sweep().await().atMost(Duration.ofSeconds(60));

    assertThat(deleted)
        .filteredOn(d -> d.id() == young.id())
        .singleElement()
        .extracting(Janitor.Deletion::reason)
        .isEqualTo(Janitor.Reason.BUILD_TERMINAL);
    assertThat(exists(young)).isFalse();
  }

  @Test
  void dryRunReportsButDeletesNothing() {
    Server orphan =
        server(
            "jt-dry-" + UUID.randomUUID().toString().substring(0, 8),
            managed("builder", UUID.randomUUID(), Instant.now().minus(Duration.ofHours(3))));
    Janitor dry =
        new Janitor(
            cloud,
            DryRun.of(config),
            terminal,
            lookup,
            registry,
            java.util.Optional.of("provisioner-tests"));

    List<Janitor.Deletion> reported = dry.sweep().await().atMost(Duration.ofSeconds(60));

    assertThat(reported).extracting(Janitor.Deletion::id).contains(orphan.id());
    assertThat(exists(orphan)).isTrue();
    assertThat(
            registry
                .find("goldsmith.janitor.deletions")
                .tag("dry_run", "true")
                .tag("reason", "ttl_expired")
                .counter()
                .count())
        .isGreaterThanOrEqualTo(1);
    hcloud.servers().deleteAndAwait(orphan.id());
  }

  @Test
  void theRegistryDecides_activeKeptPastTtl_terminalReapedYoung_downKeepsEveryBuildsResource() {
    Instant old = Instant.now().minus(Duration.ofHours(3));
    UUID active = UUID.randomUUID();
    UUID ended = UUID.randomUUID();
    UUID unknownWhileDown = UUID.randomUUID();
    StandInRegistry.STATUSES.put(active, "CONFIGURED");
    StandInRegistry.STATUSES.put(ended, "FAILED");
    Server activeOld =
        server("jt-active-" + active.toString().substring(0, 8), managed("builder", active, old));
    Server endedYoung =
        server(
            "jt-ended-" + ended.toString().substring(0, 8), managed("test", ended, Instant.now()));

    List<Janitor.Deletion> first = janitor.sweep().await().atMost(Duration.ofSeconds(60));

    assertThat(first).extracting(Janitor.Deletion::id).doesNotContain(activeOld.id());
    assertThat(first)
        .filteredOn(d -> d.id() == endedYoung.id())
        .singleElement()
        .extracting(Janitor.Deletion::reason)
        .isEqualTo(Janitor.Reason.BUILD_TERMINAL);
    assertThat(exists(activeOld)).as("an active build's builder, past its TTL").isTrue();
    assertThat(exists(endedYoung)).as("a terminal build's young test server").isFalse();

    Server unknownOld =
        server(
            "jt-down-" + unknownWhileDown.toString().substring(0, 8),
            managed("builder", unknownWhileDown, old));
    Server noBuildOld =
        server(
            "jt-nobuild-" + unknownWhileDown.toString().substring(0, 8),
            managed("builder", null, old));
    StandInRegistry.down = true;
    List<Janitor.Deletion> whileDown;
    try {
      whileDown = janitor.sweep().await().atMost(Duration.ofSeconds(60));
      assertThat(lookup.lastFailure()).isPresent();
    } finally {
      StandInRegistry.down = false;
    }

    assertThat(whileDown)
        .extracting(Janitor.Deletion::id)
        .doesNotContain(unknownOld.id(), activeOld.id());
    assertThat(whileDown).extracting(Janitor.Deletion::id).contains(noBuildOld.id());
    assertThat(exists(unknownOld)).as("registry down: a build's resource is kept").isTrue();

    List<Janitor.Deletion> after = janitor.sweep().await().atMost(Duration.ofSeconds(60));

    assertThat(after)
        .filteredOn(d -> d.id() == unknownOld.id())
        .singleElement()
        .extracting(Janitor.Deletion::reason)
        .isEqualTo(Janitor.Reason.TTL_EXPIRED);
    assertThat(lookup.lastFailure()).isEmpty();
    assertThat(exists(activeOld)).isTrue();
    hcloud.servers().deleteAndAwait(activeOld.id());
    StandInRegistry.STATUSES.remove(active);
    StandInRegistry.STATUSES.remove(ended);
  }
}
