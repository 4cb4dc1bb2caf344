package dev.goldsmith.verifier.access;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The logical lines of a sudoers file that mean something to sudo: continuation lines joined,
 * whitespace normalised, comments dropped. {@code #include} and {@code #includedir} are directives,
 * not comments, and {@code #1000 ALL=…} is a rule for uid 1000, so both are kept.
 */
public final class SudoersRules {

  /** What Debian 12's sudo package puts in {@code /etc/sudoers}. */
  public static final Set<String> DEBIAN_DEFAULTS =
      Set.of(
          "Defaults env_reset",
          "Defaults mail_badpass",
          "Defaults secure_path=\"/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin\"",
          "Defaults use_pty",
          "root ALL=(ALL:ALL) ALL",
          "%sudo ALL=(ALL:ALL) ALL",
          "@includedir /etc/sudoers.d",
          "#includedir /etc/sudoers.d");

  private static final Set<String> ALIASES =
      Set.of("User_Alias", "Runas_Alias", "Host_Alias", "Cmnd_Alias", "Cmd_Alias");

  private SudoersRules() {}

  /** The meaningful lines of a sudoers file's text. */
  public static List<String> lines(String text) {
    List<String> out = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    for (String raw : text.split("\n", -1)) {
      String l = raw.replace("\r", "");
      if (l.endsWith("\\")) {
        current.append(l, 0, l.length() - 1).append(' ');
        continue;
      }
      current.append(l);
      String line = current.toString().strip().replaceAll("\\s+", " ");
      current.setLength(0);
      if (line.isEmpty() || isComment(line)) {
        continue;
      }
      out.add(line);
    }
    String tail = current.toString().strip().replaceAll("\\s+", " ");
    if (!tail.isEmpty() && !isComment(tail)) {
      out.add(tail);
    }
    return out;
  }

  private static boolean isComment(String line) {
    if (!line.startsWith("#")) {
      return false;
    }
    if (line.startsWith("#include ") || line.startsWith("#includedir ")) {
      return false;
    }
    return !(line.length() > 1 && Character.isDigit(line.charAt(1)));
  }

  /**
   * Who a line is about: the users (or {@code %group}s) of a rule, the users of {@code
   * Defaults:<users>}, {@code ALL} for other Defaults and include directives, {@code alias <NAME>}
   * for an alias definition.
   */
  public static List<String> users(String rawLine) {
    String line = rawLine.replaceAll("\\s*,\\s*", ",");
    String first = line.split(" ", 2)[0];
    if (first.startsWith("Defaults")) {
      return first.startsWith("Defaults:")
          ? splitList(first.substring("Defaults:".length()))
          : List.of("ALL");
    }
    if (first.startsWith("@include") || first.startsWith("#include")) {
      return List.of("ALL");
    }
    if (ALIASES.contains(first)) {
      String rest = line.substring(first.length()).strip();
      return List.of("alias " + rest.split("[ =]", 2)[0]);
    }
    return splitList(first);
  }

  /** Group names a line grants through {@code %group} in its user list. */
  public static Set<String> groups(String line) {
    Set<String> out = new LinkedHashSet<>();
    for (String u : users(line)) {
      String g = u.startsWith("!") ? u.substring(1) : u;
      if (g.startsWith("%") && !g.startsWith("%#") && !g.startsWith("%:")) {
        out.add(g.substring(1));
      }
    }
    return out;
  }

  private static List<String> splitList(String s) {
    return Arrays.stream(s.split(",")).map(String::strip).filter(x -> !x.isEmpty()).toList();
  }
}
