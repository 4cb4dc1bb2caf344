package dev.goldsmith.registry.web;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

import dev.goldsmith.events.EventType;
import dev.goldsmith.registry.api.Views;

/**
 * A build's stages drawn to scale: one bar per pipeline event after the first, from the event
 * before it to the event itself, on an axis from the build's first event to its end.
 *
 * <p>Only pipeline events count ({@link EventType} names; not operators' or the watchdog's own
 * rows), and only up to the build's end: its first {@code IMAGE_PROMOTED}, {@code BUILD_FAILED} or
 * {@code BUILD_REJECTED}, else its last pipeline event. A rollback weeks later does not squash the
 * build's own stages into a sliver. Positions and widths are in thousandths of the axis ({@link
 * #SCALE}), so a bar's width is exactly its share of the build's duration.
 *
 * @param bars the stages in order
 * @param start the build's first event
 * @param totalMs from the first event to the end
 */
public record StageTimeline(List<Bar> bars, Instant start, long totalMs) {
  /** The axis length in drawing units (an SVG viewBox width). */
  public static final int SCALE = 1000;

  private static final Set<String> PIPELINE =
      Arrays.stream(EventType.values()).map(Enum::name).collect(Collectors.toSet());
  private static final Set<String> ENDS =
      Set.of(
          EventType.IMAGE_PROMOTED.name(),
          EventType.BUILD_FAILED.name(),
          EventType.BUILD_REJECTED.name());

  /**
   * One stage.
   *
   * @param stage the stage of the event ending the bar (provision, configure, …)
   * @param outcome what that event says happened
   * @param offsetMs where the bar starts, from the build's first event
   * @param durationMs how long from the event before
   * @param x the bar's start in drawing units (0..{@link #SCALE})
   * @param width the bar's length in drawing units
   */
  public record Bar(
      String stage,
      String outcome,
      String eventType,
      Instant from,
      Instant to,
      long offsetMs,
      long durationMs,
      double x,
      double width) {

    /** Whether the bar ends in a failure (drawn red). */
    public boolean failed() {
      return EventType.BUILD_FAILED.name().equals(eventType)
          || EventType.BUILD_REJECTED.name().equals(eventType)
          || (EventType.VERIFICATION_FINISHED.name().equals(eventType) && !"passed".equals(outcome))
          || (EventType.BUILDER_CONFIGURED.name().equals(eventType) && !"ok".equals(outcome));
    }

    /** {@link #x} as an SVG attribute value. */
    public String xAttr() {
      return String.format(Locale.ROOT, "%.2f", x);
    }

    /** {@link #width} as an SVG attribute value. */
    public String widthAttr() {
      return String.format(Locale.ROOT, "%.2f", width);
    }

    /** The duration for people: {@code 850 ms}, {@code 3.2 s}, {@code 1 min 5 s}. */
    public String took() {
      return human(durationMs);
    }
  }

  /** The timeline of a build's recorded events (any order). */
  public static StageTimeline of(List<Views.TimelineEntry> entries) {
    List<Views.TimelineEntry> pipeline =
        entries.stream()
            .filter(e -> e.occurredAt() != null && PIPELINE.contains(e.eventType()))
            .sorted(Comparator.comparing(Views.TimelineEntry::occurredAt))
            .toList();
    if (pipeline.isEmpty()) {
      return new StageTimeline(List.of(), null, 0);
    }
    int end = pipeline.size() - 1;
    for (int i = 0; i < pipeline.size(); i++) {
      if (ENDS.contains(pipeline.get(i).eventType())) {
        end = i;
        break;
      }
    }
    Instant start = pipeline.get(0).occurredAt();
    long total = Math.max(0, Duration.between(start, pipeline.get(end).occurredAt()).toMillis());
    List<Bar> bars = new ArrayList<>();
    for (int i = 1; i <= end; i++) {
      Views.TimelineEntry before = pipeline.get(i - 1);
      Views.TimelineEntry e = pipeline.get(i);
      long offset = Duration.between(start, before.occurredAt()).toMillis();
      long duration = Duration.between(before.occurredAt(), e.occurredAt()).toMillis();
      bars.add(
          new Bar(
              e.stage(),
              e.outcome(),
              e.eventType(),
              before.occurredAt(),
              e.occurredAt(),
              offset,
              duration,
              share(offset, total),
              share(duration, total)));
    }
    return new StageTimeline(List.copyOf(bars), start, total);
  }

  /** The whole duration for people. */
  public String took() {
    return human(totalMs);
  }

  private static double share(long part, long total) {
    return total == 0 ? 0 : (double) part * SCALE / total;
  }

  static String human(long ms) {
    if (ms < 1000) {
      return ms + " ms";
    }
    if (ms < 60_000) {
      return String.format(Locale.ROOT, "%.1f s", ms / 1000.0);
    }
    long s = ms / 1000;
    if (s < 3600) {
      return (s / 60) + " min " + (s % 60) + " s";
    }
    return (s / 3600) + " h " + (s % 3600 / 60) + " min";
  }
}
