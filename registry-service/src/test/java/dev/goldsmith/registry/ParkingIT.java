package dev.goldsmith.registry;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.hasItem;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.jboss.logmanager.ExtLogRecord;
import org.junit.jupiter.api.Test;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.context.Scope;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;

import dev.goldsmith.events.BuildRejected;
import dev.goldsmith.registry.domain.OutboxEvent;
import dev.goldsmith.registry.domain.OutboxRepository;
import dev.goldsmith.registry.messaging.Outbox;
import dev.goldsmith.registry.messaging.OutboxPublisher;
import dev.goldsmith.support.messaging.BuildMdc;
import dev.goldsmith.support.tracing.BuildTraces;

/**
 * A poisoned outbox row is parked with its reason and does not block the rows behind it; rows keep
 * their build's trace and are published in it, with the build id in the publisher's log lines.
 */
@QuarkusTest
class ParkingIT extends RegistryTestSupport {
  @Inject OutboxRepository outboxRows;
  @Inject Outbox outbox;
  @Inject OutboxPublisher publisher;
  @Inject BuildTraces traces;

  @Test
  void rowsKeepTheBuildsTraceAndArePublishedInItWithTheBuildIdInTheMdc() throws Exception {
    UUID build = UUID.randomUUID();
    Span intake = traces.span("intake test", build.toString(), SpanKind.CONSUMER);
    String traceId = intake.getSpanContext().getTraceId();
    assertThat(intake.getSpanContext().isValid()).as("spans are made without an exporter").isTrue();
    long first;
    try (Scope ignored = intake.makeCurrent()) {
      first =
          QuarkusTransaction.requiringNew()
              .call(
                  () ->
                      outbox.add(new BuildRejected(build, List.of("trace 1"), "{}", Instant.now()))
                          .id);
    } finally {
      intake.end();
    }
    // Later work outside any span of the build (an operator's request, the watchdog, another
    // instance after a restart): the build's trace is taken from its earlier row.
    Span other = traces.tracer().spanBuilder("unrelated").setNoParent().startSpan();
    long second;
    try (Scope ignored = other.makeCurrent()) {
      second =
          QuarkusTransaction.requiringNew()
              .call(
                  () ->
                      outbox.add(new BuildRejected(build, List.of("trace 2"), "{}", Instant.now()))
                          .id);
    } finally {
      other.end();
    }
    OutboxEvent r1 = QuarkusTransaction.requiringNew().call(() -> outboxRows.findById(first));
    OutboxEvent r2 = QuarkusTransaction.requiringNew().call(() -> outboxRows.findById(second));
    assertThat(BuildTraces.traceId(r1.traceparent)).contains(traceId);
    assertThat(BuildTraces.traceId(r2.traceparent)).contains(traceId);

    List<String> publisherLines = new CopyOnWriteArrayList<>();
    Logger logger = Logger.getLogger(OutboxPublisher.class.getName());
    Level level = logger.getLevel();
    Handler capture =
        new Handler() {
          @Override
          public void publish(LogRecord r) {
            if (r instanceof ExtLogRecord e && e.getFormattedMessage().contains(build.toString())) {
              publisherLines.add(e.getThreadName() + " mdc=" + e.getMdc(BuildMdc.KEY));
            }
          }

          @Override
          public void flush() {}

          @Override
          public void close() {}
        };
    logger.setLevel(Level.FINE);
    logger.addHandler(capture);
    try {
      publisher.flushSoon();
      List<ConsumerRecord<String, String>> records =
          awaitRecords(dev.goldsmith.events.Topics.BUILD_REJECTED, build, 2);
      for (ConsumerRecord<String, String> r : records) {
        Header h = r.headers().lastHeader(BuildTraces.TRACEPARENT);
        assertThat(h).as("traceparent header").isNotNull();
        assertThat(BuildTraces.traceId(new String(h.value(), StandardCharsets.UTF_8)))
            .contains(traceId);
      }
      await()
          .atMost(Duration.ofSeconds(10))
          .untilAsserted(() -> assertThat(publisherLines).hasSizeGreaterThanOrEqualTo(2));
      assertThat(publisherLines).allMatch(l -> l.endsWith("mdc=" + build), "buildId in the MDC");
    } finally {
      logger.removeHandler(capture);
      logger.setLevel(level);
    }
  }

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
