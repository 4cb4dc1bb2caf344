package dev.goldsmith.registry.deadletter;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

import dev.goldsmith.events.Topics;

class DeadLetterRecordTest {
  private static final UUID BUILD = UUID.fromString("6f1c1c62-61f4-4c36-9d8e-5a3c44c2a001");
  private static final long PARKED = Instant.parse("2026-12-01T10:00:00Z").toEpochMilli();

  private static ConsumerRecord<String, String> record(String key, String... headers) {
    RecordHeaders h = new RecordHeaders();
    for (int i = 0; i < headers.length; i += 2) {
      h.add(headers[i], headers[i + 1].getBytes(StandardCharsets.UTF_8));
    }
    return new ConsumerRecord<>(
        Topics.DEAD_LETTER,
        2,
        41L,
        PARKED,
        TimestampType.CREATE_TIME,
        -1,
        -1,
        key,
        "{\"buildId\":\"x\"}",
        h,
        Optional.empty());
  }

  /** The headers the connector's dead-letter strategy and the consumer helper write. */
  private static ConsumerRecord<String, String> parkedByThePolicy() {
    return record(
        "not-a-uuid",
        "ce_id",
        "evt-1",
        "ce_type",
        "dev.goldsmith.snapshot.created",
        "ce_subject",
        BUILD.toString(),
        "content-type",
        "application/json",
        "dead-letter-reason",
        "payload is not JSON; buildId is missing",
        "dead-letter-cause",
        "Unexpected character",
        "dead-letter-exception-class-name",
        "dev.goldsmith.events.InvalidEventException",
        "dead-letter-topic",
        Topics.SNAPSHOT_CREATED,
        "dead-letter-partition",
        "3",
        "dead-letter-offset",
        "1234",
        "goldsmith-dead-letter-reason",
        "InvalidEventException: payload is not JSON");
  }

  @Test
  void readsCoordinatesReasonAndBuildFromTheHeaders() {
    DeadLetterRecord r = DeadLetterRecord.of(parkedByThePolicy());

    assertThat(r.partition()).isEqualTo(2);
    assertThat(r.offset()).isEqualTo(41L);
    assertThat(r.sourceTopic()).isEqualTo(Topics.SNAPSHOT_CREATED);
    assertThat(r.sourcePartition()).isEqualTo(3);
    assertThat(r.sourceOffset()).isEqualTo(1234L);
    assertThat(r.reasonClass()).isEqualTo("InvalidEventException");
    assertThat(r.exceptionClass()).isEqualTo("dev.goldsmith.events.InvalidEventException");
    assertThat(r.reason()).isEqualTo("payload is not JSON; buildId is missing");
    assertThat(r.reasonSummary()).isEqualTo("InvalidEventException: payload is not JSON");
    assertThat(r.cause()).isEqualTo("Unexpected character");
    assertThat(r.buildId()).as("from ce_subject, the key is no UUID").isEqualTo(BUILD);
    assertThat(r.ceId()).isEqualTo("evt-1");
    assertThat(r.ceType()).isEqualTo("dev.goldsmith.snapshot.created");
    assertThat(r.parkedAt()).isEqualTo(Instant.ofEpochMilli(PARKED));
    assertThat(r.notReplayableBecause()).isEmpty();
  }

  @Test
  void buildIdFallsBackToTheKeyAndIsNullWhenNeitherIsAUuid() {
    assertThat(DeadLetterRecord.of(record(BUILD.toString())).buildId()).isEqualTo(BUILD);
    assertThat(DeadLetterRecord.of(record("abc", "ce_subject", "also-not")).buildId()).isNull();
    assertThat(DeadLetterRecord.of(record(null)).buildId()).isNull();
  }

  @Test
  void missingOrGarbledHeadersGiveNullsNotErrors() {
    DeadLetterRecord r =
        DeadLetterRecord.of(
            record(
                "k",
                "dead-letter-partition",
                "three",
                "dead-letter-offset",
                "",
                "dead-letter-topic",
                " "));
    assertThat(r.sourceTopic()).isNull();
    assertThat(r.sourcePartition()).isNull();
    assertThat(r.sourceOffset()).isNull();
    assertThat(r.reasonClass()).isNull();
    assertThat(r.reason()).isNull();
    assertThat(r.notReplayableBecause()).contains("the record has no dead-letter-topic header");
  }

  @Test
  void reasonClassComesFromTheSummaryWithoutTheClassHeader() {
    assertThat(DeadLetterRecord.reasonClass(null, "PoisonException: event type x"))
        .isEqualTo("PoisonException");
    assertThat(DeadLetterRecord.reasonClass("a.b.Outer$Inner", null)).isEqualTo("Inner");
    assertThat(DeadLetterRecord.reasonClass(null, "no colon here")).isNull();
    assertThat(DeadLetterRecord.reasonClass(null, "two words: text")).isNull();
  }

  @Test
  void onlyPipelineTopicsCanBeReplayedTo() {
    assertThat(
            DeadLetterRecord.of(record("k", "dead-letter-topic", Topics.DEAD_LETTER))
                .notReplayableBecause())
        .contains("source topic goldsmith.dead-letter is not a pipeline topic");
    assertThat(
            DeadLetterRecord.of(record("k", "dead-letter-topic", "__consumer_offsets"))
                .notReplayableBecause())
        .isPresent();
  }

  @Test
  void replayKeepsTheOriginalHeadersDropsTheDeadLetterOnesAndSaysWhereItCameFrom() {
    DeadLetterRecord r = DeadLetterRecord.of(parkedByThePolicy());
    List<String> keys = new ArrayList<>();
    for (Header h : r.replayHeaders()) {
      keys.add(h.key());
    }
    assertThat(keys)
        .containsExactly("ce_id", "ce_type", "ce_subject", "content-type", "goldsmith-replay-of");
    assertThat(
            new String(
                r.replayHeaders().lastHeader("goldsmith-replay-of").value(),
                StandardCharsets.UTF_8))
        .isEqualTo("goldsmith.dead-letter-2@41");
    assertThat(r.key()).isEqualTo("not-a-uuid");
    assertThat(r.value()).isEqualTo("{\"buildId\":\"x\"}");
  }
}
