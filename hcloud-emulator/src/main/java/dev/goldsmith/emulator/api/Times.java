package dev.goldsmith.emulator.api;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;

/** RFC 3339 timestamps as the API writes them: {@code 2016-01-30T23:55:00+00:00}. */
public final class Times {
  private static final DateTimeFormatter FORMAT =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ssxxx");

  private Times() {}

  public static OffsetDateTime now() {
    return OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.MILLIS);
  }

  public static String format(OffsetDateTime t) {
    return t == null ? null : FORMAT.format(t.withOffsetSameInstant(ZoneOffset.UTC));
  }
}
