package dev.goldsmith.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;

import dev.goldsmith.events.BuildAccepted;
import dev.goldsmith.events.BuildOverrides;
import dev.goldsmith.events.BuildRejected;
import dev.goldsmith.events.BuildRequested;
import dev.goldsmith.events.CloudEventHeaders;
import dev.goldsmith.events.EventCodec;
import dev.goldsmith.events.ExtraVarsPolicy;
import dev.goldsmith.events.Patterns;
import dev.goldsmith.events.Topics;
import dev.goldsmith.registry.domain.BuildStatus;
import dev.goldsmith.registry.intake.IntakeResult;

@QuarkusTest
class IntakeIT extends RegistryTestSupport {

  @BeforeEach
  void consumerReady() {
    awaitConsumerReady();
  }

  @Test
  void acceptedRequestGetsAnAllocatedVersionAndTheResolvedSpec() {
    UUID id = UUID.randomUUID();
    send(
        request(
            id,
            "reg-intake",
            new BuildOverrides(
                null,
                null,
                null,
                "nbg1",
                null,
                Map.of("runtime_baseline_extra_packages", List.of("htop")))));

    BuildAccepted accepted = awaitEvent(Topics.BUILD_ACCEPTED, id, BuildAccepted.class);

    assertThat(accepted.spec().family()).isEqualTo("reg-intake");
    assertThat(accepted.spec().version()).matches(Patterns.ALLOCATED_VERSION);
    assertThat(accepted.spec().location()).isEqualTo("nbg1");
    assertThat(accepted.spec().serverType()).isEqualTo("cx23");
    assertThat(accepted.spec().extraVars())
        .containsEntry("runtime_baseline_extra_packages", List.of("htop"));
    assertThat(accepted.spec().verification().users()).hasSize(2);
    QuarkusTransaction.requiringNew()
        .run(
            () -> {
              assertThat(builds.findById(id).status).isEqualTo(BuildStatus.ACCEPTED);
              assertThat(versions.byBuild(id).orElseThrow().version)
                  .isEqualTo(accepted.spec().version());
            });
  }

  @Test
  void unknownFamilyIsRejected() {
    assertThat(rejectDirect(request(UUID.randomUUID(), "reg-nothing", null)))
        .singleElement()
        .asString()
        .contains("family: 'reg-nothing' is not defined", "reg-intake");
  }

  @Test
  void reservedAnsibleVariableIsRejected() {
    List<String> errors =
        rejectDirect(
            request(
                UUID.randomUUID(),
                "reg-intake",
                new BuildOverrides(null, null, null, null, null, Map.of("ansible_user", "root"))));
    assertThat(errors)
        .anyMatch(e -> e.startsWith("extraVars.ansible_user: reserved Ansible variable"))
        .allMatch(e -> e.startsWith("extraVars.ansible_user: "));
  }

  @Test
  void tooManyAndTooLargeExtraVarsAreRejected() {
    Map<String, Object> vars = new HashMap<>();
    for (int i = 0; i < ExtraVarsPolicy.MAX_VARIABLES + 1; i++) {
      vars.put("v" + i, i);
    }
    vars.put("big", "x".repeat(ExtraVarsPolicy.MAX_VALUE_JSON_BYTES + 10));
    List<String> errors =
        rejectDirect(
            request(
                UUID.randomUUID(),
                "reg-intake",
                new BuildOverrides(null, null, null, null, null, vars)));
    assertThat(errors)
        .anyMatch(e -> e.contains("at most " + ExtraVarsPolicy.MAX_VARIABLES + " variables"))
        .anyMatch(e -> e.startsWith("extraVars.big") && e.contains("bytes of JSON"));
  }

  @Test
  void badVariableNameIsRejected() {
    List<String> errors =
        rejectDirect(
            request(
                UUID.randomUUID(),
                "reg-intake",
                new BuildOverrides(null, null, null, null, null, Map.of("not-a-name", 1))));
    assertThat(errors).anyMatch(e -> e.contains("not a valid variable name"));
  }

  @Test
  void serverTypeAndLocationMustExistInTheCloud() {
    List<String> errors =
        rejectDirect(
            request(
                UUID.randomUUID(),
                "reg-intake",
                new BuildOverrides(null, null, "cx999", "mars1", null, null)));
    assertThat(errors)
        .containsExactlyInAnyOrder(
            "serverType: 'cx999' does not exist", "location: 'mars1' does not exist");
  }

  @Test
  void namesAndVersionsMustMatchTheirPatterns() {
    String json =
        "{\"buildId\":\""
            + UUID.randomUUID()
            + "\",\"family\":\"Not_A_Family\",\"overrides\":{\"version\":\"bad version!\"},"
            + "\"requestedBy\":\"tests\",\"occurredAt\":\"2026-11-25T10:00:00Z\"}";
    IntakeResult r = intake.handle(json, typedHeaders());
    assertThat(r.accepted()).isFalse();
    assertThat(r.errors())
        .anyMatch(e -> e.startsWith("family:"))
        .anyMatch(e -> e.startsWith("overrides.version:"));
  }

  @Test
  void oversizedPayloadIsRejectedBeforeParsing() {
    String json =
        "{\"buildId\":\"" + UUID.randomUUID() + "\",\"pad\":\"" + "x".repeat(70_000) + "\"}";
    IntakeResult r = intake.handle(json, typedHeaders());
    assertThat(r.accepted()).isFalse();
    assertThat(r.errors()).singleElement().asString().contains("bytes, at most 65536");
  }

  @Test
  void everyReasonIsReportedAtOnce() {
    List<String> errors =
        rejectDirect(
            request(
                UUID.randomUUID(),
                "reg-intake",
                new BuildOverrides(
                    null, null, "cx999", null, null, Map.of("ansible_host", "x", "become", true))));
    // Each variable is reserved and not overridable; the server type does not exist.
    assertThat(errors).hasSize(5);
  }

  @Test
  void malformedJsonAndBadHeadersBecomeRejectionsAndTheConsumerGoesOn() {
    String key = UUID.randomUUID().toString();
    sendRaw(Topics.BUILD_REQUESTED, key, "{\"buildId\": \"" + key + "\", oops", typedHeaders());
    BuildRejected malformed =
        awaitEvent(Topics.BUILD_REJECTED, UUID.fromString(key), BuildRejected.class);
    assertThat(malformed.errors()).anyMatch(e -> e.startsWith("malformed JSON"));
    assertThat(malformed.rawPayload()).isEqualTo("{\"buildId\": \"" + key + "\", oops");

    UUID noType = UUID.randomUUID();
    sendRaw(
        Topics.BUILD_REQUESTED,
        noType.toString(),
        EventCodec.toJson(request(noType, "reg-intake", null)),
        new RecordHeaders());
    BuildRejected headerless = awaitEvent(Topics.BUILD_REJECTED, noType, BuildRejected.class);
    assertThat(headerless.errors()).anyMatch(e -> e.contains("ce_type"));

    UUID good = UUID.randomUUID();
    send(request(good, "reg-intake", null));
    assertThat(awaitEvent(Topics.BUILD_ACCEPTED, good, BuildAccepted.class).spec().family())
        .isEqualTo("reg-intake");
  }

  @Test
  void repeatedBuildIdGetsTheSameAnswerAndOneBuild() {
    UUID id = UUID.randomUUID();
    BuildRequested r = request(id, "reg-intake", null);
    send(r);
    send(new BuildRequested(id, "reg-intake", null, "someone-else", Instant.now()));

    List<ConsumerRecord<String, String>> answers = awaitRecords(Topics.BUILD_ACCEPTED, id, 2);
    BuildAccepted first = EventCodec.fromJson(answers.get(0).value(), BuildAccepted.class);
    BuildAccepted second = EventCodec.fromJson(answers.get(1).value(), BuildAccepted.class);
    assertThat(second).isEqualTo(first);
    QuarkusTransaction.requiringNew()
        .run(
            () -> {
              assertThat(builds.count("buildId", id)).isEqualTo(1);
              assertThat(versions.count("buildId", id)).isEqualTo(1);
            });

    UUID rejectedId = UUID.randomUUID();
    IntakeResult once =
        intake.handle(
            EventCodec.toJson(request(rejectedId, "reg-nothing", null)), typed(rejectedId));
    IntakeResult twice =
        intake.handle(
            EventCodec.toJson(request(rejectedId, "reg-nothing", null)), typed(rejectedId));
    assertThat(twice.repeated()).isTrue();
    assertThat(twice.errors()).isEqualTo(once.errors());
  }

  @Test
  void twentyConcurrentRequestsGetTwentyDistinctVersions() throws Exception {
    int n = 20;
    ExecutorService pool = Executors.newFixedThreadPool(n);
    CountDownLatch start = new CountDownLatch(1);
    List<Future<IntakeResult>> futures = new ArrayList<>();
    try {
      for (int i = 0; i < n; i++) {
        BuildRequested r = request(UUID.randomUUID(), "reg-concurrent", null);
        String json = EventCodec.toJson(r);
        Headers h = headers(r);
        Callable<IntakeResult> call =
            () -> {
              start.await();
              return intake.handle(json, h);
            };
        futures.add(pool.submit(call));
      }
      start.countDown();
      Set<String> allocated = new HashSet<>();
      for (Future<IntakeResult> f : futures) {
        IntakeResult r = f.get(60, TimeUnit.SECONDS);
        assertThat(r.accepted()).as("%s", r.errors()).isTrue();
        allocated.add(r.version());
      }
      assertThat(allocated).hasSize(n).allMatch(v -> v.matches(Patterns.ALLOCATED_VERSION));
      assertThat(
              QuarkusTransaction.requiringNew()
                  .call(() -> versions.count("family", "reg-concurrent")))
          .isEqualTo(n);
    } finally {
      pool.shutdownNow();
    }
  }

  private List<String> rejectDirect(BuildRequested r) {
    IntakeResult result = intake.handle(EventCodec.toJson(r), headers(r));
    assertThat(result.accepted()).as("accepted %s", result.version()).isFalse();
    return result.errors();
  }

  private static Headers typedHeaders() {
    return typed(UUID.randomUUID());
  }

  private static Headers typed(UUID id) {
    return CloudEventHeaders.of(request(id, "reg-intake", null), SOURCE);
  }
}
