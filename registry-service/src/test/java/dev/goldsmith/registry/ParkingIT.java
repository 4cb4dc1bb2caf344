package dev.goldsmith.registry;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.hasItem;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;

import dev.goldsmith.events.BuildRejected;
import dev.goldsmith.registry.domain.OutboxEvent;
import dev.goldsmith.registry.domain.OutboxRepository;
import dev.goldsmith.registry.messaging.Outbox;
import dev.goldsmith.registry.messaging.OutboxPublisher;

/** A poisoned outbox row is parked with its reason and does not block the rows behind it. */
@QuarkusTest
class ParkingIT extends RegistryTestSupport {
  @Inject OutboxRepository outboxRows;
  @Inject Outbox outbox;
  @Inject OutboxPublisher publisher;

  @Test
  void poisonedRowIsParkedWithItsReasonAndTheRowBehindItIsPublished() {
    UUID poisonBuild = UUID.randomUUID();
    UUID goodBuild = UUID.randomUUID();
    long[] ids =
        QuarkusTransaction.requiringNew()
            .call(
                () -> {
                  OutboxEvent poison = outbox.addJson("BUILD_ACCEPTED", poisonBuild, "{not json");
                  OutboxEvent good =
                      outbox.add(
                          new BuildRejected(
                              goodBuild, List.of("parking test"), "{}", Instant.now()));
                  return new long[] {poison.id, good.id};
                });

    publisher.flushSoon();

    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                QuarkusTransaction.requiringNew()
                    .call(() -> outboxRows.findById(ids[1]).publishedAt != null));
    OutboxEvent poison = QuarkusTransaction.requiringNew().call(() -> outboxRows.findById(ids[0]));
    assertThat(poison.publishedAt).isNull();
    assertThat(poison.parkedAt).isNotNull();
    assertThat(poison.parkReason).startsWith("poison: ");
    awaitRecords(dev.goldsmith.events.Topics.BUILD_REJECTED, goodBuild, 1);
    given()
        .get("/api/operations/parked")
        .then()
        .statusCode(200)
        .body("outbox.id", hasItem((int) ids[0]))
        .body("outbox.ceId", hasItem(poison.ceId))
        .body("outbox.reason", hasItem(poison.parkReason));
    // Parked rows are not tried again.
    publisher.flush();
    OutboxEvent after = QuarkusTransaction.requiringNew().call(() -> outboxRows.findById(ids[0]));
    assertThat(after.publishedAt).isNull();
    assertThat(after.attempts).isEqualTo(poison.attempts);
  }
}
