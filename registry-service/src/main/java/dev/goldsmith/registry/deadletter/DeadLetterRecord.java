package dev.goldsmith.registry.deadletter;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

import dev.goldsmith.events.CloudEventHeaders;
import dev.goldsmith.events.Topics;
import dev.goldsmith.support.messaging.DeadLetterHeaders;

/**
 * A record of the dead-letter topic, read from the headers the consumer policy writes ({@link
 * DeadLetterHeaders}): where it sits, where it came from, why it was parked, and the original key,
 * value and headers a replay sends back.
 *
 * @param partition its partition on the dead-letter topic
 * @param offset its offset there
 * @param sourceTopic the topic it was consumed from (null when the header is missing)
 * @param sourcePartition its partition there (null when missing or not a number)
 * @param sourceOffset its offset there (null when missing or not a number)
 * @param reasonClass simple class name of the exception that parked it
 * @param exceptionClass the full class name, as the header has it
 * @param reason every problem found ({@code dead-letter-reason})
 * @param reasonSummary Goldsmith's one-line reason ({@code goldsmith-dead-letter-reason})
 * @param cause the reason's cause, when it had one
 * @param buildId from {@code ce_subject}, else the key, when either is a UUID
 * @param parkedAt the record's timestamp on the dead-letter topic
 */
public record DeadLetterRecord(
    int partition,
    long offset,
    String sourceTopic,
    Integer sourcePartition,
    Long sourceOffset,
    String reasonClass,
    String exceptionClass,
    String reason,
    String reasonSummary,
    String cause,
    UUID buildId,
    String ceId,
    String ceType,
    Instant parkedAt,
    String key,
    String value,
    Headers headers) {

  /** Header a replayed record carries: {@code <dead-letter topic>-<partition>@<offset>}. */
  public static final String REPLAY_OF = "goldsmith-replay-of";

  /** Parses a record read from the dead-letter topic. */
  public static DeadLetterRecord of(ConsumerRecord<String, String> r) {
    Headers h = r.headers();
    String exceptionClass = text(h, DeadLetterHeaders.EXCEPTION_CLASS).orElse(null);
    String summary = text(h, DeadLetterHeaders.REASON_SUMMARY).orElse(null);
    return new DeadLetterRecord(
        r.partition(),
        r.offset(),
        text(h, DeadLetterHeaders.TOPIC).filter(t -> !t.isBlank()).orElse(null),
        number(h, DeadLetterHeaders.PARTITION).map(Long::intValue).orElse(null),
        number(h, DeadLetterHeaders.OFFSET).orElse(null),
        reasonClass(exceptionClass, summary),
        exceptionClass,
        text(h, DeadLetterHeaders.REASON).orElse(null),
        summary,
        text(h, DeadLetterHeaders.CAUSE).orElse(null),
        uuid(text(h, CloudEventHeaders.SUBJECT).orElse(null)).or(() -> uuid(r.key())).orElse(null),
        text(h, CloudEventHeaders.ID).orElse(null),
        text(h, CloudEventHeaders.TYPE).orElse(null),
        r.timestamp() < 0 ? null : Instant.ofEpochMilli(r.timestamp()),
        r.key(),
        r.value(),
        h);
  }

  /**
   * Why a replay would not be sent, or empty when it can be: the source topic must be one of the
   * pipeline's (never the dead-letter topic itself, never a topic a header merely names).
   */
  public Optional<String> notReplayableBecause() {
    if (sourceTopic == null) {
      return Optional.of("the record has no " + DeadLetterHeaders.TOPIC + " header");
    }
    if (Topics.DEAD_LETTER.equals(sourceTopic) || !Topics.ALL.contains(sourceTopic)) {
      return Optional.of("source topic " + sourceTopic + " is not a pipeline topic");
    }
    return Optional.empty();
  }

  /**
   * The headers a replay sends: the original ones ({@code ce_*}, {@code content-type}, trace
   * context) without the dead-letter ones, plus {@link #REPLAY_OF}.
   */
  public Headers replayHeaders() {
    RecordHeaders out = new RecordHeaders();
    if (headers != null) {
      for (Header header : headers) {
        if (!isDeadLetterHeader(header.key()) && !REPLAY_OF.equals(header.key())) {
          out.add(header.key(), header.value());
        }
      }
    }
    out.add(
        REPLAY_OF,
        (Topics.DEAD_LETTER + "-" + partition + "@" + offset).getBytes(StandardCharsets.UTF_8));
    return out;
  }

  static boolean isDeadLetterHeader(String key) {
    return key.startsWith("dead-letter-") || DeadLetterHeaders.REASON_SUMMARY.equals(key);
  }

  /**
   * The simple name of the exception class, else the part of Goldsmith's summary before its colon
   * ({@code InvalidEventException: …}).
   */
  static String reasonClass(String exceptionClass, String summary) {
    if (exceptionClass != null && !exceptionClass.isBlank()) {
      String c = exceptionClass.trim();
      int dollar = c.lastIndexOf('$');
      int dot = c.lastIndexOf('.');
      return c.substring(Math.max(dollar, dot) + 1);
    }
    if (summary != null) {
      int colon = summary.indexOf(':');
      if (colon > 0 && summary.substring(0, colon).matches("[A-Za-z_$][\\w$.]*")) {
        return summary.substring(0, colon);
      }
    }
    return null;
  }

  private static Optional<String> text(Headers headers, String key) {
    return CloudEventHeaders.get(headers, key);
  }

  private static Optional<Long> number(Headers headers, String key) {
    return text(headers, key)
        .flatMap(
            v -> {
              try {
                return Optional.of(Long.parseLong(v.trim()));
              } catch (NumberFormatException e) {
                return Optional.empty();
              }
            });
  }

  private static Optional<UUID> uuid(String value) {
    if (value == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(UUID.fromString(value.trim()));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }
}
