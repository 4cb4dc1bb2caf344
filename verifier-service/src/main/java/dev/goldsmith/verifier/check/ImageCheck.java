package dev.goldsmith.verifier.check;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import dev.goldsmith.events.ExpectedUser;
import dev.goldsmith.events.ImageChecks;
import dev.goldsmith.events.VerificationReport.CheckResult;
import dev.goldsmith.verifier.ssh.ExecResult;
import dev.goldsmith.verifier.ssh.RemoteShell;

/**
 * Image-wide checks over a root shell: expected users (shell, groups, system uid, home), the
 * effective sshd configuration, build or configurator keys left in any {@code authorized_keys}, and
 * leftover paths.
 */
public final class ImageCheck {

  private final Duration commandTimeout;

  public ImageCheck(Duration commandTimeout) {
    this.commandTimeout = commandTimeout;
  }

  /** Reads a user's passwd entry, groups and home. */
  public Optional<UserInfo> userInfo(RemoteShell shell, String user) throws IOException {
    ExecResult r = shell.exec(Commands.userInfo(user), commandTimeout);
    if (r.marker("GS_PASSWD") == null && r.marker("GS_MISSING") == null) {
      throw new IOException(
          "user lookup for " + user + " gave no answer (exit " + r.exitCode() + ")");
    }
    return UserInfo.parse(user, r);
  }

  /** Runs every image check. */
  public List<CheckResult> run(
      RemoteShell shell, ImageChecks checks, AuthorizedKeysPolicy keyPolicy) throws IOException {
    List<CheckResult> out = new ArrayList<>();
    for (ExpectedUser u : checks.users()) {
      out.add(user(u, userInfo(shell, u.name())));
    }
    if (!checks.sshd().isEmpty()) {
      out.addAll(sshd(checks.sshd(), shell.exec(Commands.sshdEffectiveConfig(), commandTimeout)));
    }
    out.add(
        keyPolicy.check(
            AuthorizedKeysPolicy.parseFiles(
                shell.exec(Commands.authorizedKeys(), commandTimeout).stdout())));
    if (!checks.forbiddenPaths().isEmpty()) {
      out.add(
          leftovers(
              checks.forbiddenPaths(),
              shell.exec(Commands.forbiddenPaths(checks.forbiddenPaths()), commandTimeout)));
    }
    return out;
  }

  /** Compares one expected user with what the server has. */
  static CheckResult user(ExpectedUser expected, Optional<UserInfo> seen) {
    String name = "user " + expected.name();
    if (seen.isEmpty()) {
      return new CheckResult(name, false, "missing");
    }
    UserInfo u = seen.get();
    List<String> problems = new ArrayList<>();
    if (!expected.shell().equals(u.shell())) {
      problems.add("shell " + u.shell() + ", expected " + expected.shell());
    }
    List<String> missingGroups =
        expected.groups().stream().filter(g -> !u.groups().contains(g)).toList();
    if (!missingGroups.isEmpty()) {
      problems.add("not in " + missingGroups + " (groups " + u.groups() + ")");
    }
    if (expected.system() && (u.uid() < 0 || u.uid() >= 1000)) {
      problems.add("uid " + u.uid() + " is not a system uid (< 1000)");
    }
    if (expected.home() && !u.homeExists()) {
      problems.add("home " + u.home() + " does not exist");
    }
    String seenText =
        "uid " + u.uid() + ", shell " + u.shell() + ", groups " + String.join(",", u.groups());
    return problems.isEmpty()
        ? new CheckResult(name, true, seenText)
        : new CheckResult(name, false, String.join("; ", problems));
  }

  /** Compares expected {@code sshd -T} values (keys lower-case) with the effective config. */
  static List<CheckResult> sshd(Map<String, String> expected, ExecResult r) {
    if (!r.ok()) {
      return List.of(
          new CheckResult(
              "sshd -T",
              false,
              "sshd -T failed (exit "
                  + r.exitCode()
                  + ")"
                  + MatrixCheck.firstLine(r.stdout() + "\n" + r.stderr())
                      .map(s -> ": " + s)
                      .orElse("")));
    }
    Map<String, String> effective = new LinkedHashMap<>();
    r.stdout()
        .lines()
        .map(String::strip)
        .filter(l -> !l.isEmpty())
        .forEach(
            l -> {
              String[] kv = l.split("\\s+", 2);
              effective.putIfAbsent(kv[0].toLowerCase(Locale.ROOT), kv.length > 1 ? kv[1] : "");
            });
    List<CheckResult> out = new ArrayList<>();
    expected.forEach(
        (key, want) -> {
          String k = key.toLowerCase(Locale.ROOT);
          String got = effective.get(k);
          boolean ok = got != null && got.equalsIgnoreCase(want.strip());
          out.add(
              new CheckResult(
                  "sshd " + k,
                  ok,
                  got == null
                      ? "not in sshd -T output, expected " + want
                      : got + (ok ? "" : ", expected " + want)));
        });
    return out;
  }

  /** Fails when any forbidden path exists. */
  static CheckResult leftovers(List<String> paths, ExecResult r) {
    List<String> present =
        r.stdout()
            .lines()
            .filter(l -> l.startsWith("GS_PRESENT="))
            .map(l -> l.substring("GS_PRESENT=".length()))
            .toList();
    if (!r.ok()) {
      return new CheckResult("leftovers", false, "check failed (exit " + r.exitCode() + ")");
    }
    return present.isEmpty()
        ? new CheckResult("leftovers", true, "none of " + paths.size() + " forbidden paths exist")
        : new CheckResult("leftovers", false, "present: " + String.join(", ", present));
  }
}
