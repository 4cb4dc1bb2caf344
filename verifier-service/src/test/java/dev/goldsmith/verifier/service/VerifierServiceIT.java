package dev.goldsmith.verifier.service;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;

import dev.goldsmith.events.AccessDeclaration;
import dev.goldsmith.events.BinaryCheck;
import dev.goldsmith.events.BuildSpec;
import dev.goldsmith.events.CloudEventHeaders;
import dev.goldsmith.events.EventCodec;
import dev.goldsmith.events.ImageChecks;
import dev.goldsmith.events.KafkaEvents;
import dev.goldsmith.events.NetworkMode;
import dev.goldsmith.events.SnapshotCreated;
import dev.goldsmith.events.Topics;
import dev.goldsmith.events.UserBinaries;
import dev.goldsmith.events.Verdict;
import dev.goldsmith.events.VerificationFinished;
import dev.goldsmith.events.VerificationMatrix;
import dev.goldsmith.hcloud.HcloudClient;
import dev.goldsmith.hcloud.model.SshKey;
import dev.goldsmith.hcloud.model.SshKeyQuery;
import dev.goldsmith.support.ssh.SshKeyFile;
import dev.goldsmith.testkit.EmulatorProcess;
import dev.goldsmith.testkit.EmulatorTestResource;
import dev.goldsmith.testkit.InjectEmulator;
import dev.goldsmith.testkit.KafkaTestSupport;
import dev.goldsmith.verifier.messaging.SnapshotCreatedConsumer;

/**
 * The service wired together: SnapshotCreated in, VerificationFinished out, on Kafka topics of this
 * run, against the emulator's hosts backend (real servers in the emulator's own network namespaces;
 * the virtual backend's addresses would send probes off this machine).
 */
@QuarkusTest
@QuarkusTestResource(
    value = EmulatorTestResource.class,
    restrictToAnnotatedClass = true,
    initArgs = {
      @ResourceArg(name = "backend", value = "hosts"),
      @ResourceArg(name = "emulator.actions.default-duration", value = "100ms")
    })
@QuarkusTestResource(value = VerifierTopics.class, restrictToAnnotatedClass = true)
class VerifierServiceIT {

  private static final Duration WAIT = Duration.ofSeconds(90);

  @Inject HcloudClient hcloud;
  @Inject SshKeyFile ownKey;
  @InjectEmulator EmulatorProcess emulator;
  @Inject SnapshotCreatedConsumer consumer;

  private static SnapshotCreated snapshot(UUID buildId, long imageId) {
    VerificationMatrix m =
        new VerificationMatrix(
            List.of(
                new UserBinaries(
                    "root",
                    List.of(
                        new BinaryCheck("python3", List.of("--version"), List.of("/usr/bin"))))),
            new ImageChecks(
                List.of(),
                Map.of("pubkeyauthentication", "yes"),
                List.of("/root/.bash_history"),
                new AccessDeclaration(
                    Map.of(),
                    new AccessDeclaration.Sudoers(Map.of(), List.of("README"), List.of()),
                    List.of(new AccessDeclaration.Listening("tcp", 22)))));
    BuildSpec spec =
        new BuildSpec(
            "vault-base",
            "20261125-v9",
            "debian-12",
            "cx23",
            "fsn1",
            "golden-image.yml",
            Map.of(),
            m,
            NetworkMode.IPV4,
            0);
    return new SnapshotCreated(buildId, spec, imageId, 1.2, Instant.now());
  }

  private static void send(SnapshotCreated e) {
    Map<String, String> headers = new HashMap<>();
    for (Header h : CloudEventHeaders.of(e, "/goldsmith/provisioner")) {
      headers.put(h.key(), new String(h.value(), StandardCharsets.UTF_8));
    }
    KafkaTestSupport.send(
        VerifierTopics.snapshotCreated, KafkaEvents.key(e), EventCodec.toJson(e), headers);
  }

  private static List<ConsumerRecord<String, String>> verdictRecords(UUID buildId, int count) {
    return KafkaTestSupport.readUntil(
            Topics.IMAGE_VERIFIED,
            rs -> rs.stream().filter(r -> buildId.toString().equals(r.key())).count() >= count,
            WAIT)
        .stream()
        .filter(r -> buildId.toString().equals(r.key()))
        .toList();
  }

  private static String ceId(ConsumerRecord<String, String> r) {
    return CloudEventHeaders.get(r.headers(), CloudEventHeaders.ID).orElseThrow();
  }

  private static List<VerificationFinished> verdicts(UUID buildId, int count) {
    List<ConsumerRecord<String, String>> records =
        KafkaTestSupport.readUntil(
            Topics.IMAGE_VERIFIED,
            rs -> rs.stream().filter(r -> buildId.toString().equals(r.key())).count() >= count,
            WAIT);
    return records.stream()
        .filter(r -> buildId.toString().equals(r.key()))
        .map(r -> KafkaEvents.decode(r.headers(), r.value(), VerificationFinished.class))
        .toList();
  }

  private long image() {
    // A real snapshot id in the emulator: make a server, snapshot it, delete it.
    var s =
        hcloud
            .servers()
            .createAndAwait(
                dev.goldsmith.hcloud.model.CreateServerRequest.builder(
                        "img-src", "cx23", "debian-12")
                    .location("fsn1")
                    .startAfterCreate(false)
                    .build());
    hcloud.actions().waitForAndAwait(s.allActions(), Duration.ofSeconds(60));
    var img =
        hcloud
            .servers()
            .createImageAndAwait(
                s.server().id(),
                dev.goldsmith.hcloud.model.CreateImageRequest.snapshot("it", Map.of()));
    hcloud.actions().waitForAndAwait(img.action(), Duration.ofSeconds(60));
    hcloud
        .actions()
        .waitForAndAwait(hcloud.servers().deleteAndAwait(s.server().id()), Duration.ofSeconds(60));
    return img.image().id();
  }

  @Test
  void aGoodImagePassesAndARedeliveryRepublishesTheSameVerdict() {
    UUID build = UUID.randomUUID();
    SnapshotCreated e = snapshot(build, image());
    send(e);
    VerificationFinished v = verdicts(build, 1).get(0);
    assertThat(v.verdict()).as(v.report().summary()).isEqualTo(Verdict.PASSED);
    assertThat(v.attempts()).isEqualTo(1);
    assertThat(v.addressFamily()).isEqualTo("ipv4");
    assertThat(v.imageId()).isEqualTo(e.imageId());
    assertThat(v.spec()).isEqualTo(e.spec());
    assertThat(v.report().binaries())
        .singleElement()
        .satisfies(
            b -> {
              assertThat(b.user()).isEqualTo("root");
              assertThat(b.path()).isEqualTo("/usr/bin/python3");
              assertThat(b.versionLine()).startsWith("Python 3.");
              assertThat(b.exitCode()).isZero();
            });
    // The access audit travels in the published report, per user.
    assertThat(v.report().access())
        .isNotEmpty()
        .allMatch(a -> a.ok())
        .anySatisfy(
            a -> {
              assertThat(a.user()).isEqualTo("root");
              assertThat(a.kind()).isEqualTo("listening");
            });
    assertThat(emulator.control().servers("goldsmith.dev/build-id=" + build)).isEmpty();

    // Redelivery: the remembered verdict is published again, not recomputed.
    send(e);
    List<VerificationFinished> both = verdicts(build, 2);
    assertThat(both).hasSize(2);
    assertThat(both.get(1)).isEqualTo(both.get(0));
  }

  @Test
  void aServerWhoseSshdNeverAnswersIsAChannelFailureAfterFreshAttempts() {
    UUID build = UUID.randomUUID();
    emulator
        .control()
        .addServerFault(
            Map.of("type", "sshd_stopped", "label_selector", "goldsmith.dev/build-id=" + build));
    send(snapshot(build, image()));
    VerificationFinished v = verdicts(build, 1).get(0);
    assertThat(v.verdict()).isEqualTo(Verdict.CHANNEL_FAILURE);
    assertThat(v.attempts()).isEqualTo(2);
    assertThat(v.addressFamily()).isNull();
    assertThat(v.report().binaries()).isEmpty();
    assertThat(v.report().summary())
        .startsWith("channel failure after 2 attempt(s)")
        .contains("unreachable");
    assertThat(emulator.control().servers("goldsmith.dev/build-id=" + build)).isEmpty();
  }

  @Test
  void aMissingImageIsAnInfraFailure() {
    UUID build = UUID.randomUUID();
    send(snapshot(build, 987654321L));
    VerificationFinished v = verdicts(build, 1).get(0);
    assertThat(v.verdict()).isEqualTo(Verdict.INFRA_FAILURE);
    assertThat(v.report().summary()).startsWith("infra failure after 2 attempt(s)");
  }

  @Test
  void anInvalidEventGoesToTheDeadLetterTopicAndTheConsumerGoesOn() {
    String key = "invalid-" + UUID.randomUUID();
    KafkaTestSupport.send(
        VerifierTopics.snapshotCreated,
        key,
        "{\"not\":\"an event\"}",
        Map.of("ce_type", "dev.goldsmith.snapshot.created.v1"));
    List<ConsumerRecord<String, String>> dead =
        KafkaTestSupport.readUntil(
            VerifierTopics.deadLetter, rs -> rs.stream().anyMatch(r -> key.equals(r.key())), WAIT);
    assertThat(dead).anyMatch(r -> key.equals(r.key()));
  }

  @Test
  void theKeyIsRegisteredWithTheVerifierLabelsAndOpsEndpointsAnswer() {
    given()
        .when()
        .get("/q/health/ready")
        .then()
        .statusCode(200)
        .body(containsString("hetzner-api"));
    List<SshKey> keys =
        hcloud
            .sshKeys()
            .allAndAwait(SshKeyQuery.all().withLabelSelector("goldsmith.dev/role=verifier"));
    assertThat(keys)
        .singleElement()
        .satisfies(
            k -> {
              assertThat(k.fingerprint()).isEqualTo(ownKey.publicKey().md5Fingerprint());
              assertThat(k.labels()).containsEntry("goldsmith.dev/managed", "true");
              assertThat(k.name()).startsWith("goldsmith-verifier-");
            });
    given()
        .when()
        .get("/q/metrics")
        .then()
        .statusCode(200)
        .body(containsString("goldsmith_verifier_verdicts_total{verdict=\"PASSED\"}"))
        .body(containsString("goldsmith_verifier_in_flight"));
  }

  @Test
  void aRedeliveryAfterARestartVerifiesAgainUnderTheSameEventIdAndLeavesNoServer() {
    UUID build = UUID.randomUUID();
    long img = image();
    // A test server left behind by a verifier that died mid-verification of this build.
    var left =
        hcloud
            .servers()
            .createAndAwait(
                dev.goldsmith.hcloud.model.CreateServerRequest.builder(
                        "gs-test-left-" + build.toString().substring(0, 8), "cx23", "debian-12")
                    .location("fsn1")
                    .labels(
                        Map.of(
                            "goldsmith.dev/managed", "true",
                            "goldsmith.dev/role", "test",
                            "goldsmith.dev/build-id", build.toString()))
                    .startAfterCreate(false)
                    .build());
    hcloud.actions().waitForAndAwait(left.allActions(), Duration.ofSeconds(60));
    SnapshotCreated e = snapshot(build, img);
    send(e);
    ConsumerRecord<String, String> first = verdictRecords(build, 1).get(0);

    consumer.forgetVerdicts(); // what a restart does to the process memory
    send(e);
    List<ConsumerRecord<String, String>> both = verdictRecords(build, 2);
    assertThat(both).hasSize(2);
    VerificationFinished a =
        KafkaEvents.decode(first.headers(), first.value(), VerificationFinished.class);
    VerificationFinished b =
        KafkaEvents.decode(both.get(1).headers(), both.get(1).value(), VerificationFinished.class);
    // Verified again (a new verdict, not the remembered one) ...
    assertThat(b.occurredAt()).isAfter(a.occurredAt());
    assertThat(b.verdict()).as(b.report().summary()).isEqualTo(Verdict.PASSED);
    // ... under the same event id, which the registry records once (first verdict wins).
    assertThat(ceId(both.get(0)))
        .isEqualTo(ceId(both.get(1)))
        .isEqualTo(SnapshotCreatedConsumer.verdictId(build, img).toString());
    // The leftover was found by its labels and deleted; nothing else is left.
    assertThat(emulator.control().servers("goldsmith.dev/build-id=" + build)).isEmpty();
  }

  @Test
  void aCloudOutageCreatingTheTestServerIsWaitedOutNotAVerdict() {
    UUID build = UUID.randomUUID();
    long img = image();
    String key = build.toString();
    emulator
        .control()
        .addFault(
            Map.of(
                "method",
                "POST",
                "path",
                "/servers",
                "status",
                503,
                "code",
                "unavailable",
                "count",
                3));
    send(snapshot(build, img));
    List<VerificationFinished> v = verdicts(build, 1);
    assertThat(v)
        .singleElement()
        .satisfies(
            f -> {
              assertThat(f.verdict()).as(f.report().summary()).isEqualTo(Verdict.PASSED);
              assertThat(f.attempts()).isEqualTo(1);
            });
    assertThat(emulator.control().faults())
        .anySatisfy(f -> assertThat(f.get("fired")).isEqualTo(3));
    assertThat(
            KafkaTestSupport.readUntil(
                VerifierTopics.deadLetter, rs -> false, Duration.ofSeconds(5)))
        .noneMatch(r -> key.equals(r.key()));
    assertThat(emulator.control().servers("goldsmith.dev/build-id=" + build)).isEmpty();
    emulator.control().clearFaults();
  }
}
