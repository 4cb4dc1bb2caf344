package dev.goldsmith.verifier.check;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.goldsmith.events.BinaryCheck;
import dev.goldsmith.events.UserBinaries;
import dev.goldsmith.events.VerificationReport.BinaryResult;
import dev.goldsmith.verifier.ssh.ExecResult;
import dev.goldsmith.verifier.ssh.RemoteShell;

/**
 * Runs the users × binaries matrix over a root shell: for each cell, resolve the binary through the
 * user's login shell, check the path against the allowed prefixes and the user's execute
 * permission, then run it with its probe arguments as that user under a timeout.
 *
 * <p>Channel failures (the connection breaks) propagate as {@link IOException}; everything the
 * server answers becomes a cell of the report.
 */
public final class MatrixCheck {

  private final Duration commandTimeout;
  private final Duration probeTimeout;

  public MatrixCheck(Duration commandTimeout, Duration probeTimeout) {
    this.commandTimeout = commandTimeout;
    this.probeTimeout = probeTimeout;
  }

  /**
   * Checks every cell.
   *
   * @param users the server's view of each matrix user (absent = user missing), from {@link
   *     Commands#userInfo(String)}
   */
  public List<BinaryResult> run(
      RemoteShell shell, List<UserBinaries> matrix, Map<String, Optional<UserInfo>> users)
      throws IOException {
    List<BinaryResult> results = new ArrayList<>();
    for (UserBinaries ub : matrix) {
      Optional<UserInfo> info = users.getOrDefault(ub.user(), Optional.empty());
      for (BinaryCheck b : ub.binaries()) {
        if (info.isEmpty()) {
          results.add(
              new BinaryResult(
                  ub.user(), b.name(), null, null, null, 0, false, "user does not exist"));
          continue;
        }
        results.add(cell(shell, info.get(), b));
      }
    }
    return results;
  }

  BinaryResult cell(RemoteShell shell, UserInfo user, BinaryCheck b) throws IOException {
    ExecResult r =
        shell.exec(Commands.resolve(user.name(), user.shell(), b.name()), commandTimeout);
    String resolved = r.marker("GS_RESOLVED");
    if (resolved == null) {
      return fail(
          user,
          b,
          null,
          r,
          "login shell of "
              + user.name()
              + " did not run"
              + (r.timedOut() ? " (timed out)" : " (exit " + r.exitCode() + ")")
              + firstLine(r.stderr()).map(s -> ": " + s).orElse(""));
    }
    if (resolved.isEmpty()) {
      return fail(
          user,
          b,
          null,
          null,
          "not found on "
              + user.name()
              + "'s login PATH ("
              + Optional.ofNullable(r.marker("GS_PATH_ENV")).orElse("?")
              + ")");
    }
    if (!resolved.startsWith("/")) {
      return fail(
          user,
          b,
          resolved,
          null,
          "resolves to a shell builtin, alias or function ('" + resolved + "'), not a file");
    }
    if (!"yes".equals(r.marker("GS_EXEC"))) {
      return fail(user, b, resolved, null, "not an executable file for " + user.name());
    }
    ExecResult p =
        shell.exec(
            Commands.probe(user.name(), user.shell(), resolved, b.probeArgs(), probeTimeout),
            probeTimeout.plusSeconds(5));
    String version =
        firstLine(p.stdout()).or(() -> firstLine(withoutSwitchUserNoise(p.stderr()))).orElse(null);
    boolean timedOut =
        p.timedOut()
            || (p.exitCode() != null
                && (p.exitCode() == 124
                    || (p.exitCode() == 137 && p.durationMs() >= probeTimeout.toMillis())));
    boolean inPrefix = withinPrefixes(resolved, b.allowedPrefixes());
    List<String> problems = new ArrayList<>();
    if (!inPrefix) {
      problems.add("path outside allowed prefixes " + b.allowedPrefixes());
    }
    if (timedOut) {
      problems.add("probe " + String.join(" ", b.probeArgs()) + " timed out after " + probeTimeout);
    } else if (p.exitCode() == null || p.exitCode() != 0) {
      problems.add(
          "probe "
              + String.join(" ", b.probeArgs())
              + " exited "
              + p.exitCode()
              + firstLine(withoutSwitchUserNoise(p.stderr())).map(s -> ": " + s).orElse(""));
    }
    return new BinaryResult(
        user.name(),
        b.name(),
        resolved,
        version,
        timedOut ? null : p.exitCode(),
        p.durationMs(),
        problems.isEmpty(),
        problems.isEmpty() ? null : String.join("; ", problems));
  }

  private static BinaryResult fail(
      UserInfo user, BinaryCheck b, String path, ExecResult r, String detail) {
    return new BinaryResult(
        user.name(), b.name(), path, null, null, r == null ? 0 : r.durationMs(), false, detail);
  }

  /** True when {@code path} lies in one of the prefix directories (or below it). */
  public static boolean withinPrefixes(String path, List<String> prefixes) {
    for (String prefix : prefixes) {
      String p = prefix.endsWith("/") ? prefix : prefix + "/";
      if (path.startsWith(p) && !path.substring(p.length()).contains("/../")) {
        return !path.contains("/../") && !path.contains("/./");
      }
    }
    return false;
  }

  /** Drops runuser's own warnings (e.g. a missing home directory) from a tool's stderr. */
  static String withoutSwitchUserNoise(String stderr) {
    if (stderr == null) {
      return "";
    }
    return String.join("\n", stderr.lines().filter(l -> !l.startsWith("runuser: ")).toList());
  }

  static Optional<String> firstLine(String text) {
    if (text == null) {
      return Optional.empty();
    }
    return text.lines()
        .map(String::strip)
        .filter(l -> !l.isEmpty())
        .findFirst()
        .map(l -> l.length() > 200 ? l.substring(0, 200) + "…" : l);
  }
}
