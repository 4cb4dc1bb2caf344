package dev.goldsmith.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;

import dev.goldsmith.events.BuildSpec;
import dev.goldsmith.events.CloudEventHeaders;
import dev.goldsmith.events.Topics;
import dev.goldsmith.registry.domain.OutboxEvent;
import dev.goldsmith.registry.domain.OutboxRepository;
import dev.goldsmith.registry.domain.TimelineRepository;
import dev.goldsmith.registry.messaging.OutboxPublisher;

/** Stable event ids: a resend after a crash is recorded once. */
@QuarkusTest
class TimelineDedupeIT extends RegistryTestSupport {
  @Inject OutboxRepository outbox;
  @Inject OutboxPublisher publisher;
  @Inject TimelineRepository timelineRows;

  @BeforeEach
  void consumerReady() {
    awaitConsumerReady();
  }

  @Test
  void resentOutboxEventIsRecordedOnceInTheTimeline() {
    BuildSpec spec = accept("reg-dedupe");
    UUID buildId = buildIdOf(spec);
    OutboxEvent row =
        QuarkusTransaction.requiringNew()
            .call(
                () ->
                    outbox
                        .find("buildId = ?1 and eventType = ?2", buildId, "BUILD_ACCEPTED")
                        .singleResult());
    await().atMost(Duration.ofSeconds(30)).until(() -> acceptedInTimeline(buildId) == 1);

    // A crash between the broker's ack and the commit that marks the row: the row is sent again.
    QuarkusTransaction.requiringNew()
        .run(() -> outbox.update("publishedAt = null where id = ?1", row.id));
    publisher.flush();

    List<ConsumerRecord<String, String>> sent = awaitRecords(Topics.BUILD_ACCEPTED, buildId, 2);
    assertThat(sent)
        .extracting(
            r ->
                new String(
                    r.headers().lastHeader(CloudEventHeaders.ID).value(), StandardCharsets.UTF_8))
        .containsOnly(row.ceId);
    // The resend was consumed (the registry reads its own topics) and skipped.
    await()
        .during(Duration.ofSeconds(3))
        .atMost(Duration.ofSeconds(10))
        .until(() -> acceptedInTimeline(buildId) == 1);
    assertThat(QuarkusTransaction.requiringNew().call(() -> timelineRows.count("ceId", row.ceId)))
        .isEqualTo(1);
  }

  private long acceptedInTimeline(UUID buildId) {
    return QuarkusTransaction.requiringNew()
        .call(
            () -> timelineRows.count("buildId = ?1 and eventType = ?2", buildId, "BUILD_ACCEPTED"));
  }
}
