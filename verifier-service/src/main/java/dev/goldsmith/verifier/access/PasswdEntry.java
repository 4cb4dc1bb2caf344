package dev.goldsmith.verifier.access;

import java.util.ArrayList;
import java.util.List;

import dev.goldsmith.verifier.check.Commands;

/** One line of the passwd database ({@code getent passwd}). */
public record PasswdEntry(String name, int uid, int gid, String home, String shell) {

  /** Whether a person can log in with the shell (not nologin or false). */
  public boolean loginShell() {
    return Commands.isLoginShell(shell);
  }

  /**
   * Parses {@code getent passwd} output. Every non-empty line must be a complete entry and root
   * (uid 0) must be among them: a database without root was not read completely.
   */
  public static List<PasswdEntry> parse(String output) throws ListingException {
    List<PasswdEntry> out = new ArrayList<>();
    for (String line : output.split("\n")) {
      if (line.isBlank()) {
        continue;
      }
      String[] f = line.split(":", -1);
      if (f.length != 7 || f[0].isEmpty()) {
        throw new ListingException("passwd: malformed entry '" + line + "'");
      }
      try {
        out.add(new PasswdEntry(f[0], Integer.parseInt(f[2]), Integer.parseInt(f[3]), f[5], f[6]));
      } catch (NumberFormatException e) {
        throw new ListingException("passwd: non-numeric uid or gid in '" + line + "'");
      }
    }
    if (out.stream().noneMatch(e -> e.uid() == 0 && e.name().equals("root"))) {
      throw new ListingException(
          "passwd: no root entry among " + out.size() + " entries, the database was not read");
    }
    return out;
  }
}
