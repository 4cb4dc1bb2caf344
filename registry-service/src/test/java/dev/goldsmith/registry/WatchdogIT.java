package dev.goldsmith.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

import dev.goldsmith.events.BuildFailed;
import dev.goldsmith.events.BuildSpec;
import dev.goldsmith.events.BuilderReady;
import dev.goldsmith.events.CloudEventHeaders;
import dev.goldsmith.events.EventCodec;
import dev.goldsmith.events.FailureClass;
import dev.goldsmith.events.Topics;
import dev.goldsmith.registry.domain.Build;
import dev.goldsmith.registry.domain.BuildStatus;
import dev.goldsmith.registry.domain.StageDeadlineRepository;
import dev.goldsmith.registry.domain.TimelineEvent;
import dev.goldsmith.registry.domain.TimelineRepository;
import dev.goldsmith.registry.watchdog.StageWatchdog;

/**
 * A build that gets its builder and then nothing (no configurator runs): the watchdog re-drives the
 * configure stage once by re-publishing BuilderReady, then fails the build on the deadline.
 */
@QuarkusTest
@TestProfile(WatchdogIT.ShortDeadlines.class)
class WatchdogIT extends RegistryTestSupport {
  private static final String HOST_KEY =
      "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIDbjAa9kqxzfxropLPkFPAo0nzm0sSk7KTtaKYR1fHFq";

  /** The watchdog on, the configure stage due after 4 s, the others far away. */
  public static class ShortDeadlines implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of(
          "goldsmith.registry.watchdog.enabled", "true",
          "goldsmith.registry.watchdog.interval", "1s",
          "goldsmith.registry.watchdog.provision", "10m",
          "goldsmith.registry.watchdog.configure", "4s");
    }
  }

  @Inject TimelineRepository timelineRows;
  @Inject StageDeadlineRepository deadlines;
  @Inject StageWatchdog watchdog;

  @Test
  void builderReadyThenNothingIsReDrivenOnceThenFailsWithStageConfigureAndReasonDeadline() {
    awaitConsumerReady();
    BuildSpec spec = accept("reg-watchdog");
    UUID buildId = buildIdOf(spec);
    long serverId = 4242;
    BuilderReady ready =
        new BuilderReady(buildId, spec, serverId, "203.0.113.7", null, HOST_KEY, Instant.now());
    Instant sentAt = Instant.now();
    send(ready);

    BuildFailed failed = awaitEvent(Topics.BUILD_FAILED, buildId, BuildFailed.class);

    assertThat(failed.stage()).isEqualTo(BuildFailed.Stage.CONFIGURE);
    assertThat(failed.reasonClass()).isEqualTo(FailureClass.DEADLINE);
    assertThat(failed.resources())
        .containsExactly(
            new BuildFailed.ResourceRef(BuildFailed.ResourceRef.Kind.SERVER, serverId));
    // Two deadlines of 4 s passed: the first re-drove, the second failed.
    assertThat(Duration.between(sentAt, failed.occurredAt())).isGreaterThan(Duration.ofSeconds(7));

    List<ConsumerRecord<String, String>> readies = awaitRecords(Topics.BUILDER_READY, buildId, 2);
    assertThat(readies).hasSize(2);
    String first = header(readies.get(0), CloudEventHeaders.ID);
    String again = header(readies.get(1), CloudEventHeaders.ID);
    assertThat(again).isNotEqualTo(first);
    BuilderReady redriven = EventCodec.fromJson(readies.get(1).value(), BuilderReady.class);
    assertThat(redriven.buildId()).isEqualTo(buildId);
    assertThat(redriven.serverId()).isEqualTo(serverId);

    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                QuarkusTransaction.requiringNew()
                    .call(() -> builds.findById(buildId).status == BuildStatus.FAILED));
    QuarkusTransaction.requiringNew()
        .run(
            () -> {
              Build b = builds.findById(buildId);
              assertThat(b.failureStage).isEqualTo("configure");
              assertThat(b.failureReason).startsWith("deadline: ");
              assertThat(versions.byBuild(buildId).orElseThrow().status.name()).isEqualTo("FAILED");
              assertThat(deadlines.findById(buildId).redrives).isEqualTo(1);
              assertThat(deadlines.findById(buildId).expiredAt).isNotNull();
              List<TimelineEvent> rows = timelineRows.forBuild(buildId);
              assertThat(rows)
                  .filteredOn(t -> t.eventType.equals("WATCHDOG_REDRIVE"))
                  .singleElement()
                  .satisfies(
                      t -> {
                        assertThat(t.stage).isEqualTo("configure");
                        assertThat(t.payload).contains(again);
                      });
              assertThat(rows).filteredOn(t -> t.eventType.equals("WATCHDOG_DEADLINE")).hasSize(1);
            });
    // Failed, the build is not re-driven or failed again.
    assertThat(watchdog.run()).isZero();
    assertThat(QuarkusTransaction.requiringNew().call(() -> deadlines.findById(buildId).redrives))
        .isEqualTo(1);
  }

  private static String header(ConsumerRecord<String, String> r, String key) {
    return new String(r.headers().lastHeader(key).value(), StandardCharsets.UTF_8);
  }
}
