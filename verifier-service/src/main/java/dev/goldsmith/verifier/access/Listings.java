package dev.goldsmith.verifier.access;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import dev.goldsmith.verifier.ssh.ExecResult;
import dev.goldsmith.verifier.ssh.RemoteShell;

/**
 * Runs the audit's listings over a root shell and refuses any that cannot be trusted: timed out,
 * without its exit status or end marker, or failed.
 */
record Listings(RemoteShell shell, Duration timeout) {

  /**
   * Runs a listing that ends with {@code GS_RC=<exit>} and returns what came before it; throws when
   * it timed out, the marker is missing or the exit is not 0.
   */
  String listing(String command, String what) throws IOException {
    ExecResult r = shell.exec(command, timeout);
    String out = r.stdout();
    int at = out.lastIndexOf("GS_RC=");
    if (r.timedOut() || at < 0 || (at > 0 && out.charAt(at - 1) != '\n')) {
      throw new ListingException(
          what + " listing " + (r.timedOut() ? "timed out" : "gave no exit status") + firstErr(r));
    }
    String rc = out.substring(at + "GS_RC=".length()).strip();
    if (!rc.equals("0")) {
      throw new ListingException(what + " listing failed (exit " + rc + ")" + firstErr(r));
    }
    return out.substring(0, at);
  }

  /** Runs a script that ends with {@code GS_END}; throws when it did not get there. */
  ExecResult complete(String command, String what) throws IOException {
    ExecResult r = shell.exec(command, timeout);
    if (r.timedOut()
        || !r.stdout().stripTrailing().endsWith("\n" + AccessCommands.END)
            && !r.stdout().strip().equals(AccessCommands.END)) {
      throw new ListingException(
          what + (r.timedOut() ? " timed out" : " output is incomplete") + firstErr(r));
    }
    return r;
  }

  /** Values of the {@code prefix=} marker lines, in order. */
  static List<String> markers(ExecResult r, String prefix) {
    List<String> out = new ArrayList<>();
    for (String line : r.stdout().split("\n")) {
      if (line.startsWith(prefix + "=")) {
        out.add(line.substring(prefix.length() + 1).stripTrailing());
      }
    }
    return out;
  }

  /** Decodes a base64 field; {@code !} (unreadable) and anything undecodable are errors. */
  static String decode(String b64, String what) throws ListingException {
    if (b64.contains("!")) {
      throw new ListingException("cannot read " + what);
    }
    try {
      return new String(Base64.getDecoder().decode(b64), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw new ListingException("cannot decode " + what + ": " + e.getMessage());
    }
  }

  private static String firstErr(ExecResult r) {
    return r.stderr().lines().findFirst().map(l -> ": " + l).orElse("");
  }
}
