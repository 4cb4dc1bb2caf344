package dev.goldsmith.registry.web;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

import io.quarkus.qute.TemplateExtension;

/** Formatting for the web view's templates: {@code {fmt:utc(instant)}}, {@code {fmt:ms(long)}}. */
@TemplateExtension(namespace = "fmt")
final class WebFormat {
  private static final DateTimeFormatter UTC =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS 'UTC'").withZone(ZoneOffset.UTC);

  private WebFormat() {}

  /** A time in UTC, or a dash when there is none. */
  static String utc(Instant at) {
    return at == null ? "—" : UTC.format(at);
  }

  /** A duration in milliseconds for people. */
  static String ms(long millis) {
    return StageTimeline.human(millis);
  }

  /** A value, or a dash when there is none. */
  static String or(Object value) {
    return value == null || value.toString().isEmpty() ? "—" : value.toString();
  }
}
