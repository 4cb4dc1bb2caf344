package dev.goldsmith.cli;

import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Follows a build through the registry ({@code GET /api/builds/{id}}): prints each new timeline
 * event as one stage line and, on a terminal, a progress line for the running stage; returns the
 * build's detail once it has ended.
 */
final class Watcher {
  /** How long a VERIFIED (not promoted) status must hold before it counts as the end. */
  static final Duration PROMOTION_GRACE = Duration.ofSeconds(5);

  /** How long the registry may be unreachable before the watch gives up. */
  static final Duration UNREACHABLE_GRACE = Duration.ofSeconds(60);

  private final Registry registry;
  private final PrintWriter out;
  private final boolean tty;
  private final Duration interval;
  private final Duration timeout;
  private final Instant started;
  private boolean progressShown;

  Watcher(
      Registry registry,
      PrintWriter out,
      boolean tty,
      Duration interval,
      Duration timeout,
      Instant started) {
    this.registry = registry;
    this.out = out;
    this.tty = tty;
    this.interval = interval;
    this.timeout = timeout;
    this.started = started;
  }

  /**
   * Watches until the build ends.
   *
   * @param origin when the build was requested: the zero of the elapsed times
   */
  JsonNode watch(UUID id, Instant origin) {
    return watch(id, origin, origin);
  }

  /**
   * Watches until the build ends.
   *
   * @param origin the zero of the elapsed times
   * @param requested when the build was requested: where the first stage's time starts
   */
  JsonNode watch(UUID id, Instant origin, Instant requested) {
    return watch(id, origin, requested, false);
  }

  /**
   * Watches until the build ends.
   *
   * @param origin the zero of the elapsed times
   * @param requested when the build was requested: where the first stage's time starts
   * @param originFromTimeline take origin and requested from the build's own BUILD_REQUESTED
   *     (re-attaching to an earlier build: the same build id again)
   */
  JsonNode watch(UUID id, Instant origin, Instant requested, boolean originFromTimeline) {
    Instant deadline = started.plus(timeout);
    int shown = 0;
    String lastType = null;
    Instant lastAt = requested;
    java.util.Set<String> printed = new java.util.HashSet<>();
    Instant settledSince = null;
    Instant unreachableSince = null;
    String status = null;
    while (true) {
      Optional<JsonNode> found;
      try {
        found = registry.find("/api/builds/" + id);
        unreachableSince = null;
      } catch (CliException e) {
        if (e.exitCode() != ExitCode.UNREACHABLE) {
          throw e;
        }
        Instant now = Instant.now();
        unreachableSince = unreachableSince == null ? now : unreachableSince;
        if (Duration.between(unreachableSince, now).compareTo(UNREACHABLE_GRACE) > 0) {
          clearProgress();
          throw e;
        }
        found = Optional.empty();
      }
      if (found.isPresent()) {
        JsonNode detail = found.get();
        JsonNode tl = detail.path("timeline");
        for (; shown < tl.size(); shown++) {
          JsonNode e = tl.get(shown);
          String type = e.path("eventType").asText();
          Instant at = Render.instant(e.path("occurredAt"));
          if (originFromTimeline && shown == 0 && "BUILD_REQUESTED".equals(type) && at != null) {
            origin = at;
            lastAt = at;
          }
          // an answer given again (the same build id requested twice) is shown once
          boolean repeat = !printed.add(type + " " + e.path("event"));
          if (!"BUILD_REQUESTED".equals(type) && !repeat) {
            clearProgress();
            out.println(
                Render.stageLine(Render.seconds(origin, at), e, Render.seconds(lastAt, at)));
            out.flush();
          }
          lastType = type;
          lastAt = at != null && at.isAfter(lastAt) ? at : lastAt;
        }
        status = detail.at("/build/status").asText();
        boolean promotedEvent = false;
        for (JsonNode e : tl) {
          promotedEvent |= "IMAGE_PROMOTED".equals(e.path("eventType").asText());
        }
        int code = ExitCode.forStatus(status);
        boolean settles =
            code == ExitCode.VERIFIED_NOT_PROMOTED || ("PROMOTED".equals(status) && !promotedEvent);
        if (code >= 0 && !settles) {
          clearProgress();
          return detail;
        }
        if (settles) {
          Instant now = Instant.now();
          settledSince = settledSince == null ? now : settledSince;
          if (Duration.between(settledSince, now).compareTo(PROMOTION_GRACE) > 0) {
            clearProgress();
            return detail;
          }
        } else {
          settledSince = null;
        }
      }
      Instant now = Instant.now();
      if (now.isAfter(deadline)) {
        clearProgress();
        throw new CliException(
            ExitCode.WATCH_TIMEOUT,
            "build "
                + id
                + " is still "
                + (status == null ? "unknown to the registry" : status)
                + " after "
                + timeout.toSeconds()
                + " s; it goes on: goldsmith build show "
                + id);
      }
      if (tty) {
        out.print(
            "\r"
                + Render.progressLine(
                    Render.seconds(origin, now), lastType, Render.seconds(lastAt, now))
                + "\033[K");
        out.flush();
        progressShown = true;
      }
      try {
        Thread.sleep(interval.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        clearProgress();
        throw new CliException(ExitCode.WATCH_TIMEOUT, "interrupted; the build goes on");
      }
    }
  }

  private void clearProgress() {
    if (progressShown) {
      out.print("\r\033[K");
      out.flush();
      progressShown = false;
    }
  }
}
