package dev.goldsmith.cli;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;

/** Text output: tables, timeline lines, the users × binaries matrix. */
final class Render {
  private Render() {}

  /** What each timeline event means, as the stage line says it. */
  static final Map<String, String> LABELS =
      Map.of(
          "BUILD_REQUESTED", "requested",
          "BUILD_ACCEPTED", "accepted: version allocated",
          "BUILDER_READY", "provisioned: builder running",
          "BUILDER_CONFIGURED", "configured: playbook ran",
          "SNAPSHOT_CREATED", "snapshotted: builder deleted",
          "VERIFICATION_FINISHED", "verified on a fresh server",
          "IMAGE_PROMOTED", "promoted",
          "BUILD_FAILED", "failed",
          "BUILD_REJECTED", "rejected");

  /** A table with a header row, columns as wide as their widest cell. */
  static String table(List<String> header, List<List<String>> rows) {
    int[] width = new int[header.size()];
    List<List<String>> all = new ArrayList<>();
    all.add(header);
    all.addAll(rows);
    for (List<String> row : all) {
      for (int i = 0; i < width.length && i < row.size(); i++) {
        width[i] = Math.max(width[i], cell(row.get(i)).length());
      }
    }
    StringBuilder out = new StringBuilder();
    for (List<String> row : all) {
      StringBuilder line = new StringBuilder();
      for (int i = 0; i < width.length; i++) {
        String c = i < row.size() ? cell(row.get(i)) : "";
        line.append(i == width.length - 1 ? c : pad(c, width[i]) + "  ");
      }
      out.append(line.toString().stripTrailing()).append('\n');
    }
    return out.toString();
  }

  private static String cell(String s) {
    return s == null ? "-" : s.replaceAll("\\s*\\R\\s*", " ");
  }

  static String pad(String s, int width) {
    return s.length() >= width ? s : s + " ".repeat(width - s.length());
  }

  /** What a timeline event adds to its stage line (version, server, outcome, verdict…). */
  static String detail(JsonNode entry) {
    JsonNode ev = entry.path("event");
    return switch (entry.path("eventType").asText()) {
      case "BUILD_REQUESTED" ->
          ev.path("family").asText() + " by " + ev.path("requestedBy").asText();
      case "BUILD_ACCEPTED" -> ev.at("/spec/version").asText();
      case "BUILDER_READY" ->
          "server " + ev.path("serverId").asText() + " " + ev.path("ipv4").asText();
      case "BUILDER_CONFIGURED" ->
          ev.path("outcome").asText()
              + ", changed="
              + ev.path("changed").asText()
              + (ev.hasNonNull("failedTask")
                  ? ", failed task: " + ev.path("failedTask").asText()
                  : "")
              + (ev.hasNonNull("message") && !"ok".equals(ev.path("outcome").asText())
                  ? ": " + ev.path("message").asText()
                  : "");
      case "SNAPSHOT_CREATED" -> "image " + ev.path("imageId").asText();
      case "VERIFICATION_FINISHED" ->
          ev.path("verdict").asText()
              + " over "
              + ev.path("addressFamily").asText()
              + ": "
              + ev.at("/report/summary").asText();
      case "IMAGE_PROMOTED" ->
          "image "
              + ev.path("imageId").asText()
              + (ev.hasNonNull("reason") ? " (" + ev.path("reason").asText() + ")" : "");
      case "BUILD_FAILED" ->
          ev.path("stage").asText()
              + ": "
              + ev.path("reasonClass").asText()
              + ": "
              + ev.path("message").asText();
      case "BUILD_REJECTED" -> String.join("; ", texts(ev.path("errors")));
      default -> "";
    };
  }

  /** One stage line: {@code [ 12s] provisioned: builder running +7s server 100001 …}. */
  static String stageLine(long elapsedSeconds, JsonNode entry, long stageSeconds) {
    String type = entry.path("eventType").asText();
    return String.format(
            "[%4ds] %-34s +%ds %s",
            elapsedSeconds, LABELS.getOrDefault(type, type), stageSeconds, detail(entry))
        .stripTrailing();
  }

  /** The stage running after an event, for the progress line. */
  static String nextStage(String lastEventType) {
    if (lastEventType == null) {
      return "waiting for intake";
    }
    return switch (lastEventType) {
      case "BUILD_REQUESTED" -> "waiting for intake";
      case "BUILD_ACCEPTED" -> "provisioning the builder";
      case "BUILDER_READY" -> "configuring (playbook)";
      case "BUILDER_CONFIGURED" -> "snapshotting";
      case "SNAPSHOT_CREATED" -> "verifying on a fresh server";
      case "VERIFICATION_FINISHED" -> "promoting";
      default -> "finishing";
    };
  }

  /** How long a stage usually takes on the emulator, in seconds: the progress bar's scale. */
  static long typicalSeconds(String lastEventType) {
    if (lastEventType == null) {
      return 5;
    }
    return switch (lastEventType) {
      case "BUILD_ACCEPTED" -> 10;
      case "BUILDER_READY" -> 35;
      case "BUILDER_CONFIGURED" -> 10;
      case "SNAPSHOT_CREATED" -> 15;
      default -> 5;
    };
  }

  /** The progress line of a running stage: a bar that fills towards its typical length. */
  static String progressLine(long elapsedSeconds, String lastEventType, long stageSeconds) {
    int width = 24;
    double f = Math.min(0.95, (double) stageSeconds / Math.max(1, typicalSeconds(lastEventType)));
    int full = (int) Math.round(f * width);
    return String.format(
        "[%4ds] %-34s [%s%s] %ds",
        elapsedSeconds,
        nextStage(lastEventType),
        "#".repeat(full),
        ".".repeat(width - full),
        stageSeconds);
  }

  /** Seconds between two timeline instants (0 when one is missing). */
  static long seconds(Instant from, Instant to) {
    if (from == null || to == null) {
      return 0;
    }
    return Math.max(0, Duration.between(from, to).toSeconds());
  }

  static Instant instant(JsonNode n) {
    if (n == null || n.isNull() || n.isMissingNode()) {
      return null;
    }
    try {
      return Instant.parse(n.asText());
    } catch (RuntimeException e) {
      return null;
    }
  }

  /**
   * The users × binaries matrix of a report: one row per binary, one column per user; a cell is
   * {@code ok <version line>} or {@code FAIL <detail>}.
   */
  static String matrix(JsonNode report) {
    JsonNode binaries = report == null ? null : report.path("binaries");
    if (binaries == null || !binaries.isArray() || binaries.isEmpty()) {
      return "";
    }
    Set<String> users = new LinkedHashSet<>();
    Map<String, Map<String, String>> rows = new LinkedHashMap<>();
    for (JsonNode c : binaries) {
      String user = c.path("user").asText();
      users.add(user);
      String cell =
          c.path("ok").asBoolean()
              ? "ok " + firstWords(c.path("versionLine").asText(""), 3)
              : "FAIL "
                  + (c.hasNonNull("detail")
                      ? c.path("detail").asText()
                      : "exit " + c.path("exitCode").asText());
      rows.computeIfAbsent(c.path("binary").asText(), b -> new LinkedHashMap<>()).put(user, cell);
    }
    List<String> header = new ArrayList<>();
    header.add("BINARY");
    users.forEach(header::add);
    List<List<String>> out = new ArrayList<>();
    rows.forEach(
        (binary, cells) -> {
          List<String> row = new ArrayList<>();
          row.add(binary);
          for (String u : users) {
            row.add(cells.getOrDefault(u, "-"));
          }
          out.add(row);
        });
    StringBuilder s = new StringBuilder(table(header, out));
    List<List<String>> failedChecks = new ArrayList<>();
    for (JsonNode c : report.path("checks")) {
      if (!c.path("ok").asBoolean()) {
        failedChecks.add(List.of(c.path("name").asText(), c.path("detail").asText("")));
      }
    }
    if (!failedChecks.isEmpty()) {
      s.append("failed image checks:\n").append(table(List.of("CHECK", "DETAIL"), failedChecks));
    }
    return s.toString();
  }

  private static String firstWords(String s, int n) {
    int paren = s.indexOf('(');
    String[] w = (paren >= 0 ? s.substring(0, paren) : s).trim().split("\\s+");
    return String.join(" ", java.util.Arrays.copyOf(w, Math.min(n, w.length))).trim();
  }

  static List<String> texts(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(e -> out.add(e.asText()));
    return out;
  }

  /** A JSON text field, or null when absent. */
  static String text(JsonNode n, String field) {
    JsonNode v = n.path(field);
    return v.isNull() || v.isMissingNode() ? null : v.asText();
  }
}
