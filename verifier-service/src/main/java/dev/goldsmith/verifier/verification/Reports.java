package dev.goldsmith.verifier.verification;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

import dev.goldsmith.events.Verdict;
import dev.goldsmith.events.VerificationReport;
import dev.goldsmith.events.VerificationReport.AccessResult;
import dev.goldsmith.events.VerificationReport.BinaryResult;
import dev.goldsmith.events.VerificationReport.CheckResult;

/** Verdict rules, the one-line summary and the human-readable matrix. */
public final class Reports {

  private Reports() {}

  /**
   * The verdict of a completed check run: PASSED when every cell and every image check passed,
   * otherwise ARTIFACT_DEFECT. Channel and infrastructure failures never reach this method.
   */
  public static Verdict verdictOf(List<BinaryResult> binaries, List<CheckResult> checks) {
    return verdictOf(binaries, checks, List.of());
  }

  /** As {@link #verdictOf(List, List)}, and every row of the access audit must be declared. */
  public static Verdict verdictOf(
      List<BinaryResult> binaries, List<CheckResult> checks, List<AccessResult> access) {
    boolean ok =
        !binaries.isEmpty()
            && binaries.stream().allMatch(BinaryResult::ok)
            && checks.stream().allMatch(CheckResult::ok)
            && access.stream().allMatch(AccessResult::ok);
    return ok ? Verdict.PASSED : Verdict.ARTIFACT_DEFECT;
  }

  /** The report of a completed check run. */
  public static VerificationReport checked(
      List<BinaryResult> binaries, List<CheckResult> checks, String channelDetail) {
    return checked(binaries, checks, List.of(), channelDetail);
  }

  /** The report of a completed check run with its access audit. */
  public static VerificationReport checked(
      List<BinaryResult> binaries,
      List<CheckResult> checks,
      List<AccessResult> access,
      String channelDetail) {
    List<CheckResult> all = new ArrayList<>();
    all.add(new CheckResult("channel", true, channelDetail));
    all.addAll(checks);
    Verdict v = verdictOf(binaries, checks, access);
    return new VerificationReport(binaries, all, summary(v, binaries, checks), access);
  }

  /** The summary line: what passed, or each failing user, binary and check with what was seen. */
  public static String summary(
      Verdict verdict, List<BinaryResult> binaries, List<CheckResult> checks) {
    long users = binaries.stream().map(BinaryResult::user).distinct().count();
    if (verdict == Verdict.PASSED) {
      return "passed: "
          + binaries.size()
          + " binaries for "
          + users
          + " users and "
          + checks.size()
          + " image checks";
    }
    List<String> parts = new ArrayList<>();
    for (BinaryResult b : binaries) {
      if (!b.ok()) {
        parts.add(b.user() + "/" + b.binary() + ": " + b.detail());
      }
    }
    for (CheckResult c : checks) {
      if (!c.ok()) {
        parts.add(c.name() + ": " + c.detail());
      }
    }
    return "artifact defect: " + String.join(" | ", parts);
  }

  /** Renders the matrix and the checks as an aligned text table. */
  public static String render(
      Verdict verdict, String addressFamily, int attempts, VerificationReport report) {
    StringBuilder out = new StringBuilder();
    out.append("verdict=")
        .append(verdict)
        .append(" family=")
        .append(addressFamily == null ? "-" : addressFamily)
        .append(" attempts=")
        .append(attempts)
        .append('\n');
    if (!report.binaries().isEmpty()) {
      List<String[]> rows = new ArrayList<>();
      rows.add(new String[] {"USER", "BINARY", "RESULT", "EXIT", "MS", "PATH", "VERSION / DETAIL"});
      for (BinaryResult b : report.binaries()) {
        String last = b.versionLine() == null ? "" : b.versionLine();
        if (!b.ok()) {
          last = b.detail() + (b.versionLine() == null ? "" : " [" + b.versionLine() + "]");
        }
        rows.add(
            new String[] {
              b.user(),
              b.binary(),
              b.ok() ? "ok" : "FAIL",
              b.exitCode() == null ? "-" : b.exitCode().toString(),
              Long.toString(b.durationMs()),
              b.path() == null ? "-" : b.path(),
              last
            });
      }
      table(out, rows);
    }
    if (!report.access().isEmpty()) {
      List<String[]> rows = new ArrayList<>();
      rows.add(new String[] {"USER", "ACCESS", "RESULT", "ITEM", "DETAIL"});
      for (AccessResult a : report.access()) {
        rows.add(
            new String[] {
              a.user(),
              a.kind(),
              a.ok() ? "ok" : "UNDECLARED",
              a.item(),
              a.detail() == null ? "" : a.detail()
            });
      }
      table(out, rows);
    }
    List<String[]> rows = new ArrayList<>();
    rows.add(new String[] {"CHECK", "RESULT", "DETAIL"});
    for (CheckResult c : report.checks()) {
      rows.add(
          new String[] {c.name(), c.ok() ? "ok" : "FAIL", c.detail() == null ? "" : c.detail()});
    }
    table(out, rows);
    out.append("summary: ").append(report.summary()).append('\n');
    return out.toString();
  }

  private static void table(StringBuilder out, List<String[]> rows) {
    int cols = rows.get(0).length;
    int[] width = new int[cols];
    for (String[] r : rows) {
      for (int i = 0; i < cols - 1; i++) {
        width[i] = Math.max(width[i], r[i].length());
      }
    }
    for (String[] r : rows) {
      StringBuilder line = new StringBuilder();
      for (int i = 0; i < cols; i++) {
        String cell = r[i];
        line.append(i == cols - 1 ? cell : pad(cell, width[i] + 2));
      }
      out.append(line.toString().stripTrailing()).append('\n');
    }
  }

  private static String pad(String s, int w) {
    return s + " ".repeat(Math.max(0, w - s.length()));
  }

  /** Joins attempt notes for failure reports. */
  static String joinAttempts(List<String> notes) {
    return notes.stream().collect(Collectors.joining(" | "));
  }
}
