package dev.goldsmith.events;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * CloudEvents 1.0 attributes in Kafka headers (binary content mode of the Kafka protocol binding):
 * the record value is the event's JSON, the attributes travel as {@code ce_*} headers.
 */
public final class CloudEventHeaders {
  public static final String SPEC_VERSION = "ce_specversion";
  public static final String ID = "ce_id";
  public static final String SOURCE = "ce_source";
  public static final String TYPE = "ce_type";
  public static final String TIME = "ce_time";
  public static final String SUBJECT = "ce_subject";

  /** W3C Trace Context, carried as the CloudEvents distributed-tracing extension. */
  public static final String TRACEPARENT = "ce_traceparent";

  public static final String CONTENT_TYPE = "content-type";
  public static final String SPEC_VERSION_VALUE = "1.0";
  public static final String JSON = "application/json";

  private CloudEventHeaders() {}

  /**
   * Headers for an event with a fresh id; {@code source} names the producer (e.g. {@code
   * /goldsmith/registry}). Producers that may resend an event use {@link #of(PipelineEvent, String,
   * String, String)} with the id stored when the event was first written.
   */
  public static Headers of(PipelineEvent event, String source) {
    return of(event, source, UUID.randomUUID().toString(), null);
  }

  /**
   * Headers for an event with a given id, stable across resends so consumers' dedupe works, and an
   * optional W3C {@code traceparent}.
   */
  public static Headers of(PipelineEvent event, String source, String id, String traceparent) {
    RecordHeaders headers = new RecordHeaders();
    put(headers, SPEC_VERSION, SPEC_VERSION_VALUE);
    put(headers, ID, id);
    put(headers, SOURCE, source);
    put(headers, TYPE, event.type().ceType());
    put(headers, TIME, DateTimeFormatter.ISO_INSTANT.format(event.occurredAt()));
    if (event.buildId() != null) {
      put(headers, SUBJECT, event.buildId().toString());
    }
    if (traceparent != null) {
      put(headers, TRACEPARENT, traceparent);
    }
    put(headers, CONTENT_TYPE, JSON);
    return headers;
  }

  /** The last value of a header as UTF-8 text. */
  public static Optional<String> get(Headers headers, String key) {
    if (headers == null) {
      return Optional.empty();
    }
    Header h = headers.lastHeader(key);
    return h == null || h.value() == null
        ? Optional.empty()
        : Optional.of(new String(h.value(), StandardCharsets.UTF_8));
  }

  /** Problems with the CloudEvents attributes of a record, empty when they are sound. */
  public static List<String> problems(Headers headers) {
    List<String> errors = new ArrayList<>();
    Optional<String> spec = get(headers, SPEC_VERSION);
    if (spec.isEmpty()) {
      errors.add("header " + SPEC_VERSION + " is missing");
    } else if (!SPEC_VERSION_VALUE.equals(spec.get())) {
      errors.add("header " + SPEC_VERSION + " must be 1.0 (was '" + spec.get() + "')");
    }
    for (String required : List.of(ID, SOURCE, TYPE)) {
      if (get(headers, required).filter(v -> !v.isBlank()).isEmpty()) {
        errors.add("header " + required + " is missing");
      }
    }
    get(headers, TYPE)
        .filter(t -> EventType.byCeType(t).isEmpty())
        .ifPresent(t -> errors.add("header " + TYPE + " '" + t + "' is not a known event type"));
    get(headers, TIME)
        .ifPresent(
            t -> {
              try {
                Instant.parse(t);
              } catch (RuntimeException e) {
                errors.add("header " + TIME + " is not an RFC 3339 time: '" + t + "'");
              }
            });
    get(headers, CONTENT_TYPE)
        .filter(c -> !c.startsWith(JSON))
        .ifPresent(c -> errors.add("content-type must be application/json (was '" + c + "')"));
    return errors;
  }

  private static void put(Headers headers, String key, String value) {
    headers.add(key, value.getBytes(StandardCharsets.UTF_8));
  }
}
