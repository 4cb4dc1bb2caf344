package dev.goldsmith.configurator.ansible;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * What the goldsmith_events callback recorded of a run: every task result, the task running last,
 * and the final stats.
 *
 * @param results task results in order
 * @param lastStartedTask the last task that started (the one running when a run was killed)
 * @param stats per-host recap, empty when the run did not get that far
 */
public record PlaybookReport(
    List<TaskResult> results, String lastStartedTask, Map<String, HostStats> stats) {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** One task's result on one host. */
  public record TaskResult(
      String task, String role, String host, String status, boolean ignored, String message) {

    public boolean changed() {
      return "changed".equals(status);
    }

    /** Failed or unreachable, and not an ignored failure. */
    public boolean fatal() {
      return ("failed".equals(status) || "unreachable".equals(status)) && !ignored;
    }
  }

  /** The recap line of one host. */
  public record HostStats(
      int ok, int changed, int failures, int unreachable, int skipped, int rescued, int ignored) {}

  public PlaybookReport {
    results = List.copyOf(results);
    stats = Map.copyOf(stats);
  }

  /** Reads the events file; a missing file is an empty report. */
  public static PlaybookReport read(Path eventsFile) throws IOException {
    if (!Files.exists(eventsFile)) {
      return parse(List.of());
    }
    return parse(Files.readAllLines(eventsFile));
  }

  /** Parses JSON lines; unparsable lines (a line cut off by a kill) are skipped. */
  public static PlaybookReport parse(List<String> lines) {
    List<TaskResult> results = new ArrayList<>();
    String lastTask = null;
    Map<String, HostStats> stats = Map.of();
    for (String line : lines) {
      if (line.isBlank()) {
        continue;
      }
      JsonNode node;
      try {
        node = JSON.readTree(line);
      } catch (IOException e) {
        continue;
      }
      switch (node.path("event").asText()) {
        case "task_start" -> lastTask = text(node, "task");
        case "result" ->
            results.add(
                new TaskResult(
                    text(node, "task"),
                    text(node, "role"),
                    text(node, "host"),
                    text(node, "status"),
                    node.path("ignored").asBoolean(false),
                    text(node, "msg")));
        case "stats" -> {
          Map<String, HostStats> s = new java.util.LinkedHashMap<>();
          node.path("hosts")
              .properties()
              .forEach(
                  e ->
                      s.put(
                          e.getKey(),
                          new HostStats(
                              e.getValue().path("ok").asInt(),
                              e.getValue().path("changed").asInt(),
                              e.getValue().path("failures").asInt(),
                              e.getValue().path("unreachable").asInt(),
                              e.getValue().path("skipped").asInt(),
                              e.getValue().path("rescued").asInt(),
                              e.getValue().path("ignored").asInt())));
          stats = s;
        }
        default -> {
          // playbook_start, play_start: nothing to keep.
        }
      }
    }
    return new PlaybookReport(results, lastTask, stats);
  }

  /** The first result that failed the run (failed or unreachable, not ignored). */
  public Optional<TaskResult> firstFatal() {
    return results.stream().filter(TaskResult::fatal).findFirst();
  }

  /** Changed task results: from the recap when the run got there, else counted. */
  public int changedCount() {
    if (!stats.isEmpty()) {
      return stats.values().stream().mapToInt(HostStats::changed).sum();
    }
    return (int) results.stream().filter(TaskResult::changed).count();
  }

  /** Whether the recap shows no failure and no unreachable host. */
  public boolean cleanRecap() {
    return !stats.isEmpty()
        && stats.values().stream().allMatch(s -> s.failures() == 0 && s.unreachable() == 0);
  }

  private static String text(JsonNode node, String field) {
    JsonNode v = node.get(field);
    return v == null || v.isNull() ? null : v.asText();
  }
}
