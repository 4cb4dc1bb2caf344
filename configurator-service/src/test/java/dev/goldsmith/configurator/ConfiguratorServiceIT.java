package dev.goldsmith.configurator;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

import dev.goldsmith.configurator.configuring.ConfiguratorService;
import dev.goldsmith.configurator.keys.KeyRegistration;
import dev.goldsmith.configurator.support.Events;
import dev.goldsmith.configurator.support.IsolatedTopics;
import dev.goldsmith.events.BuilderConfigured;
import dev.goldsmith.events.BuilderConfigured.Outcome;
import dev.goldsmith.events.CloudEventHeaders;
import dev.goldsmith.events.EventCodec;
import dev.goldsmith.events.NetworkMode;
import dev.goldsmith.hcloud.HcloudClient;
import dev.goldsmith.hcloud.model.SshKey;
import dev.goldsmith.hcloud.model.SshKeyQuery;
import dev.goldsmith.hcloud.model.UpdateSshKeyRequest;
import dev.goldsmith.testkit.EmulatorTestResource;
import dev.goldsmith.testkit.KafkaTestSupport;

/**
 * The service wired together: key registration against the emulator's API (virtual backend), the
 * Kafka path on topics of its own, health and metrics. Builds here are refused before Ansible runs;
 * real playbook runs are in ConfiguratorHostsIT.
 */
@QuarkusTest
@QuarkusTestResource(value = EmulatorTestResource.class, restrictToAnnotatedClass = true)
@QuarkusTestResource(value = IsolatedTopics.class, restrictToAnnotatedClass = true)
class ConfiguratorServiceIT {
  private static final Duration WAIT = Duration.ofSeconds(60);

  /** A server id no emulator of another test has (the event goes to the shared topic). */
  private static final long SERVER = 900_000_000L + (System.nanoTime() % 1_000_000);

  @Inject HcloudClient hcloud;
  @Inject KeyRegistration registration;
  @Inject ConfiguratorService service;

  private SshKey awaitRegisteredKey() {
    String fingerprint = service.keyPair().publicKey().md5Fingerprint();
    try {
      return await()
          .atMost(WAIT)
          .pollInterval(java.time.Duration.ofMillis(250))
          .until(() -> hcloud.sshKeys().getByFingerprintAndAwait(fingerprint), k -> k.isPresent())
          .get();
    } catch (org.awaitility.core.ConditionTimeoutException e) {
      throw new AssertionError(
          "the configurator key was not registered: " + registration.lastError(), e);
    }
  }

  @Test
  void publicKeyIsRegisteredAtStartWithTheConfiguratorLabels() throws Exception {
    SshKey key = awaitRegisteredKey();

    assertThat(key.labels())
        .containsEntry("goldsmith.dev/managed", "true")
        .containsEntry("goldsmith.dev/installation", "configurator-tests")
        .containsEntry("goldsmith.dev/role", "configurator");
    assertThat(key.name()).startsWith("goldsmith-configurator-");
    assertThat(key.publicKey().trim()).startsWith(service.keyPair().publicKey().keyOnly());
    // How the provisioner finds it.
    List<SshKey> byRole =
        hcloud
            .sshKeys()
            .allAndAwait(SshKeyQuery.all().withLabelSelector("goldsmith.dev/role=configurator"));
    assertThat(byRole).extracting(SshKey::id).containsExactly(key.id());
  }

  @Test
  void registeringAgainKeepsTheOneKey() throws Exception {
    SshKey first = awaitRegisteredKey();

    var again = registration.registerNow();
    var third = registration.registerNow();

    assertThat(again.id()).isEqualTo(first.id());
    assertThat(third.id()).isEqualTo(first.id());
    assertThat(hcloud.sshKeys().allAndAwait(SshKeyQuery.all())).hasSize(1);
  }

  @Test
  void registrationRestoresLabelsSomeoneRemovedAndKeepsTheirOwn() throws Exception {
    SshKey key = awaitRegisteredKey();
    hcloud
        .sshKeys()
        .updateAndAwait(key.id(), new UpdateSshKeyRequest(null, Map.of("owner", "ops")));

    var fixed = registration.registerNow();

    assertThat(fixed.id()).isEqualTo(key.id());
    assertThat(hcloud.sshKeys().getAndAwait(key.id()).orElseThrow().labels())
        .containsEntry("goldsmith.dev/managed", "true")
        .containsEntry("goldsmith.dev/role", "configurator")
        .containsEntry("goldsmith.dev/installation", "configurator-tests")
        .containsEntry("owner", "ops");
  }

  @Test
  void hostileExtraVarsOverKafkaYieldFailedAndRedeliveryRepublishesTheRecordedOutcome() {
    UUID build = UUID.randomUUID();
    var ready =
        TestSpecs.ready(
            build,
            TestSpecs.spec(
                "golden-image.yml",
                Map.of("ansible_become_password", "x", "connection", "local"),
                NetworkMode.IPV4),
            SERVER,
            "127.0.0.1",
            null);

    Events.publish(ready);
    List<BuilderConfigured> first = Events.configured(build, 1, WAIT);
    assertThat(first).hasSize(1);
    BuilderConfigured e = first.get(0);
    assertThat(e.outcome()).isEqualTo(Outcome.FAILED);
    assertThat(e.serverId()).isEqualTo(SERVER);
    assertThat(e.message())
        .contains("extraVars.ansible_become_password")
        .contains("extraVars.connection");

    Events.publish(ready);
    List<BuilderConfigured> both = Events.configured(build, 2, WAIT);
    assertThat(both).hasSize(2);
    assertThat(both.get(1)).isEqualTo(e);
  }

  @Test
  void undecodableRecordGoesToTheDeadLetterTopicAndConsumptionGoesOn() {
    String key = "bad-" + UUID.randomUUID();
    KafkaTestSupport.send(IsolatedTopics.ready, key, "{not json", Map.of());
    var parked =
        KafkaTestSupport.readUntil(
            IsolatedTopics.deadLetter, rs -> rs.stream().anyMatch(r -> key.equals(r.key())), WAIT);
    assertThat(parked).anyMatch(r -> key.equals(r.key()));
    var reason = parked.stream().filter(r -> key.equals(r.key())).findFirst().orElseThrow();
    assertThat(reason.headers().lastHeader("dead-letter-reason")).isNotNull();
    assertThat(
            new String(
                reason.headers().lastHeader("dead-letter-reason").value(), StandardCharsets.UTF_8))
        .isNotBlank();

    // The consumer still runs: a valid event after the bad one is handled.
    hostileExtraVarsOverKafkaYieldFailedAndRedeliveryRepublishesTheRecordedOutcome();
  }

  @Test
  void builderReadyWithoutAHostKeyIsDeadLetteredNeverTrustedOnFirstUse() throws Exception {
    UUID build = UUID.randomUUID();
    var ready =
        TestSpecs.ready(
            build,
            TestSpecs.spec("golden-image.yml", Map.of(), NetworkMode.IPV4),
            SERVER,
            "127.0.0.1",
            null);
    String json = EventCodec.toJson(ready);
    String withoutKey = json.replace(",\"hostKey\":\"" + ready.hostKey() + "\"", "");
    assertThat(withoutKey).doesNotContain("hostKey").isNotEqualTo(json);
    Map<String, String> headers = new java.util.HashMap<>();
    for (var h : CloudEventHeaders.of(ready, "/goldsmith/test")) {
      headers.put(h.key(), new String(h.value(), StandardCharsets.UTF_8));
    }

    KafkaTestSupport.send(IsolatedTopics.ready, build.toString(), withoutKey, headers);

    var parked =
        KafkaTestSupport.readUntil(
            IsolatedTopics.deadLetter,
            rs -> rs.stream().anyMatch(r -> build.toString().equals(r.key())),
            WAIT);
    var record =
        parked.stream().filter(r -> build.toString().equals(r.key())).findFirst().orElseThrow();
    assertThat(
            new String(
                record.headers().lastHeader("dead-letter-reason").value(), StandardCharsets.UTF_8))
        .contains("hostKey");
    assertThat(service.configurator().workDir(build)).doesNotExist();
    assertThat(Events.configured(build, 1, Duration.ofSeconds(3))).isEmpty();
  }

  @Test
  void readinessReportsTheRegisteredKeyAndMetricsCountRuns() throws Exception {
    awaitRegisteredKey();
    await()
        .atMost(WAIT)
        .pollInterval(java.time.Duration.ofMillis(500))
        .until(() -> given().get("/q/health/ready").statusCode() == 200);
    given()
        .get("/q/health/ready")
        .then()
        .statusCode(200)
        .body(containsString("hetzner-api"))
        .body(containsString("goldsmith-configurator-"));

    hostileExtraVarsOverKafkaYieldFailedAndRedeliveryRepublishesTheRecordedOutcome();
    given()
        .get("/q/metrics")
        .then()
        .statusCode(200)
        .body(
            containsString("goldsmith_configurator_runs_total{kind=\"refused\",outcome=\"failed\""))
        .body(containsString("goldsmith_configurator_outcomes_republished_total"));
  }
}
