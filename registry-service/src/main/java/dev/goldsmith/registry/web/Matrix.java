package dev.goldsmith.registry.web;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.goldsmith.events.VerificationReport.BinaryResult;

/**
 * The users × binaries matrix of a verification report: one row per user, one column per binary, in
 * the order the report lists them.
 *
 * @param binaries the column heads
 * @param rows one per user
 * @param failures every failing cell, in report order
 */
public record Matrix(List<String> binaries, List<Row> rows, List<BinaryResult> failures) {

  /** A user's cells; a cell is empty when the family does not ask that user for that binary. */
  public record Row(String user, List<Cell> cells) {}

  /**
   * One cell.
   *
   * @param result the check, null when the user is not asked for the binary
   */
  public record Cell(String binary, BinaryResult result) {
    public boolean checked() {
      return result != null;
    }
  }

  public static Matrix of(List<BinaryResult> results) {
    Set<String> binaries = new LinkedHashSet<>();
    Map<String, Map<String, BinaryResult>> byUser = new LinkedHashMap<>();
    List<BinaryResult> failures = new ArrayList<>();
    for (BinaryResult r : results) {
      binaries.add(r.binary());
      byUser.computeIfAbsent(r.user(), u -> new LinkedHashMap<>()).put(r.binary(), r);
      if (!r.ok()) {
        failures.add(r);
      }
    }
    List<Row> rows = new ArrayList<>();
    byUser.forEach(
        (user, cells) ->
            rows.add(
                new Row(user, binaries.stream().map(b -> new Cell(b, cells.get(b))).toList())));
    return new Matrix(List.copyOf(binaries), List.copyOf(rows), List.copyOf(failures));
  }

  /** How many cells were checked. */
  public int checked() {
    return rows.stream()
        .mapToInt(r -> (int) r.cells().stream().filter(Cell::checked).count())
        .sum();
  }

  public boolean empty() {
    return rows.isEmpty();
  }
}
