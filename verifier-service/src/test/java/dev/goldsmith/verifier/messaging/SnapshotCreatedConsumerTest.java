package dev.goldsmith.verifier.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.eclipse.microprofile.reactive.messaging.Message;
import org.junit.jupiter.api.Test;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;

import dev.goldsmith.events.AccessDeclaration;
import dev.goldsmith.events.BinaryCheck;
import dev.goldsmith.events.BuildSpec;
import dev.goldsmith.events.CloudEventHeaders;
import dev.goldsmith.events.ImageChecks;
import dev.goldsmith.events.NetworkMode;
import dev.goldsmith.events.SnapshotCreated;
import dev.goldsmith.events.UserBinaries;
import dev.goldsmith.events.Verdict;
import dev.goldsmith.events.VerificationMatrix;
import dev.goldsmith.events.VerificationReport;
import dev.goldsmith.support.ssh.SshKeyFile;
import dev.goldsmith.support.ssh.SshKeyPair;
import dev.goldsmith.verifier.config.VerifierConfig;
import dev.goldsmith.verifier.service.VerificationService;
import dev.goldsmith.verifier.verification.VerificationOutcome;
import dev.goldsmith.verifier.verification.VerificationRequest;

/**
 * The consumer's own part of shutdown and redelivery: a SIGTERM interrupts a verification that does
 * not finish within the grace (it cleans up and publishes nothing, its record is handed back by the
 * consumer policy, see service-support's ConsumerPolicyTest), one that finishes within it
 * publishes; a verdict published again, by a fresh process, carries the same event id.
 */
class SnapshotCreatedConsumerTest {

  /** Test servers "alive" on the fake cloud, by build. */
  private final Set<UUID> live = ConcurrentHashMap.newKeySet();

  private final List<Message<String>> sent = new CopyOnWriteArrayList<>();
  private final CountDownLatch started = new CountDownLatch(1);

  @SuppressWarnings("unchecked")
  private static <T> T answering(Class<T> type, Map<String, Object> answers) {
    return (T)
        Proxy.newProxyInstance(
            type.getClassLoader(),
            new Class<?>[] {type},
            (p, m, args) -> {
              if (!answers.containsKey(m.getName())) {
                throw new UnsupportedOperationException(m.getName());
              }
              return answers.get(m.getName());
            });
  }

  private static VerifierConfig config(Duration grace) {
    VerifierConfig.Server server =
        answering(
            VerifierConfig.Server.class,
            Map.of(
                "deleteTimeout", Duration.ofSeconds(5),
                "type", Optional.empty(),
                "namePrefix", "gs-test"));
    return answering(
        VerifierConfig.class,
        Map.of("maxConcurrent", 1, "verdictMemory", 10, "shutdownGrace", grace, "server", server));
  }

  @SuppressWarnings("unchecked")
  private MutinyEmitter<String> emitter() {
    return (MutinyEmitter<String>)
        Proxy.newProxyInstance(
            MutinyEmitter.class.getClassLoader(),
            new Class<?>[] {MutinyEmitter.class},
            (p, m, args) -> {
              if (!m.getName().equals("sendMessage")) {
                throw new UnsupportedOperationException(m.getName());
              }
              sent.add((Message<String>) args[0]);
              return Uni.createFrom().voidItem();
            });
  }

  /** A verification that takes {@code takes}: its test server lives meanwhile. */
  private VerificationService service(Duration takes) {
    SshKeyPair own = SshKeyPair.generateEd25519("goldsmith-verifier");
    return new VerificationService(
        null,
        new SshKeyFile(Path.of("/nonexistent/id_ed25519"), own.publicKey()),
        null,
        new SimpleMeterRegistry()) {
      @Override
      public VerificationOutcome verify(VerificationRequest req) throws InterruptedException {
        live.add(req.buildId());
        started.countDown();
        try {
          Thread.sleep(takes.toMillis());
        } finally {
          // The real verifier deletes its server in finally, interrupted or not.
          live.remove(req.buildId());
        }
        return new VerificationOutcome(
            Verdict.PASSED,
            "ipv4",
            new VerificationReport(List.of(), List.of(), "passed"),
            1,
            takes);
      }
    };
  }

  private static SnapshotCreated snapshot(UUID buildId) {
    BuildSpec spec =
        new BuildSpec(
            "vault-base",
            "20261125-v9",
            "debian-12",
            "cx23",
            "fsn1",
            "golden-image.yml",
            Map.of(),
            new VerificationMatrix(
                List.of(
                    new UserBinaries(
                        "root", List.of(new BinaryCheck("id", List.of(), List.of("/usr/bin"))))),
                new ImageChecks(List.of(), Map.of(), List.of(), AccessDeclaration.NONE)),
            NetworkMode.IPV4,
            0);
    return new SnapshotCreated(buildId, spec, 4242, 1.0, Instant.now());
  }

  private static String ceId(Message<String> m) {
    @SuppressWarnings("unchecked")
    OutgoingKafkaRecordMetadata<String> md =
        m.getMetadata(OutgoingKafkaRecordMetadata.class).orElseThrow();
    return CloudEventHeaders.get(md.getHeaders(), CloudEventHeaders.ID).orElseThrow();
  }

  @Test
  void sigtermInterruptsAVerificationBeyondTheGraceWhichCleansUpAndPublishesNothing()
      throws Exception {
    SnapshotCreatedConsumer consumer =
        new SnapshotCreatedConsumer(
            null, service(Duration.ofMinutes(5)), config(Duration.ofMillis(200)), emitter());
    UUID build = UUID.randomUUID();
    CompletableFuture<Void> record =
        consumer.verifyAndPublish(snapshot(build)).subscribeAsCompletionStage();
    assertThat(started.await(30, TimeUnit.SECONDS)).isTrue();
    assertThat(live).containsExactly(build);

    consumer.onShutdown(null);

    assertThatThrownBy(() -> record.get(30, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class)
        .hasCauseInstanceOf(SnapshotCreatedConsumer.VerificationInterruptedException.class);
    assertThat(sent).as("no verdict because of the shutdown").isEmpty();
    assertThat(live).as("test server deleted").isEmpty();
  }

  @Test
  void sigtermLetsAVerificationFinishingWithinTheGracePublishItsVerdict() throws Exception {
    SnapshotCreatedConsumer consumer =
        new SnapshotCreatedConsumer(
            null, service(Duration.ofMillis(500)), config(Duration.ofSeconds(30)), emitter());
    UUID build = UUID.randomUUID();
    CompletableFuture<Void> record =
        consumer.verifyAndPublish(snapshot(build)).subscribeAsCompletionStage();
    assertThat(started.await(30, TimeUnit.SECONDS)).isTrue();

    consumer.onShutdown(null);

    record.get(30, TimeUnit.SECONDS);
    assertThat(sent).hasSize(1);
    assertThat(live).isEmpty();
  }

  @Test
  void aVerdictPublishedAgainByAFreshProcessCarriesTheSameEventId() throws Exception {
    UUID build = UUID.randomUUID();
    SnapshotCreated event = snapshot(build);
    for (int process = 0; process < 2; process++) {
      SnapshotCreatedConsumer consumer =
          new SnapshotCreatedConsumer(
              null, service(Duration.ZERO), config(Duration.ofSeconds(1)), emitter());
      consumer.verifyAndPublish(event).await().atMost(Duration.ofSeconds(30));
      consumer.onShutdown(null);
    }
    assertThat(sent).hasSize(2);
    assertThat(ceId(sent.get(0)))
        .isEqualTo(ceId(sent.get(1)))
        .isEqualTo(SnapshotCreatedConsumer.verdictId(build, 4242).toString());
    assertThat(SnapshotCreatedConsumer.verdictId(build, 4243))
        .isNotEqualTo(SnapshotCreatedConsumer.verdictId(build, 4242));
  }

  @Test
  void theVerdictCarriesTheSnapshotsProvenanceAndTheDigestOfItsReport() throws Exception {
    dev.goldsmith.events.Provenance fromSnapshot =
        new dev.goldsmith.events.Provenance(
            114690387L,
            "debian-12",
            "c61c3a77114f603189b12fdf86c96583e3bb5fc2",
            false,
            "4d2c9a0e7b1f3c5a8e6d4b2a0f9e7c5b3a1d8f6e4c2b0a9e7d5c3b1a0f8e6d4c",
            "e3b7a1c9d5f2e8b4a6c0d2f4e6a8b0c2d4e6f8a0b2c4d6e8f0a2b4c6d8e0f2a4",
            null);
    SnapshotCreated plain = snapshot(UUID.randomUUID());
    SnapshotCreated withProvenance =
        new SnapshotCreated(
            plain.buildId(), plain.spec(), 4242, 1.0, fromSnapshot, plain.occurredAt());
    SnapshotCreated old = snapshot(UUID.randomUUID());
    SnapshotCreatedConsumer consumer =
        new SnapshotCreatedConsumer(
            null, service(Duration.ZERO), config(Duration.ofSeconds(1)), emitter());
    consumer.verifyAndPublish(withProvenance).await().atMost(Duration.ofSeconds(30));
    consumer.verifyAndPublish(old).await().atMost(Duration.ofSeconds(30));
    consumer.onShutdown(null);

    assertThat(sent).hasSize(2);
    var first =
        dev.goldsmith.events.EventCodec.fromJson(
            sent.get(0).getPayload(), dev.goldsmith.events.VerificationFinished.class);
    String digest = dev.goldsmith.events.Digests.sha256OfJson(first.report());
    assertThat(digest).matches(dev.goldsmith.events.Patterns.SHA256);
    assertThat(first.provenance())
        .isEqualTo(dev.goldsmith.events.Provenance.withReportSha256(fromSnapshot, digest));
    // A SnapshotCreated written before provenance existed still gets the report digest.
    var second =
        dev.goldsmith.events.EventCodec.fromJson(
            sent.get(1).getPayload(), dev.goldsmith.events.VerificationFinished.class);
    assertThat(second.provenance().reportSha256()).isEqualTo(digest);
    assertThat(second.provenance().rolesSha256()).isNull();
    assertThat(second.provenance().sourceImageId()).isNull();
  }
}
