package dev.goldsmith.configurator.ansible;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * The {@code ssh_args} of an ansible.cfg ({@code [ssh_connection]}), read the way Ansible's
 * configparser does (comment lines, {@code =} or {@code :}, indented continuation lines, inline
 * {@code ;} comments), or Ansible's default when the file sets none. The configurator sets {@code
 * ansible_ssh_args} per host to its own pinning options followed by these: ssh uses the first value
 * it sees for an option, and Ansible puts {@code ssh_args} before any other argument, so this is
 * the only place where {@code StrictHostKeyChecking=yes} cannot be overridden by the tree's
 * configuration (whose {@code accept-new} is meant for hand-run playbooks).
 */
public final class AnsibleSshArgs {
  /** Ansible's built-in {@code ssh_args}. */
  public static final String ANSIBLE_DEFAULT = "-C -o ControlMaster=auto -o ControlPersist=60s";

  private AnsibleSshArgs() {}

  /** The {@code ssh_args} of {@code <ansibleDir>/ansible.cfg}, or the default. */
  public static String of(Path ansibleDir) throws IOException {
    Path cfg = ansibleDir.resolve("ansible.cfg");
    if (!Files.isRegularFile(cfg)) {
      return ANSIBLE_DEFAULT;
    }
    return parse(Files.readAllLines(cfg));
  }

  static String parse(List<String> lines) {
    String section = "";
    StringBuilder value = null;
    for (String raw : lines) {
      String trimmed = raw.strip();
      boolean continuation = !raw.isEmpty() && Character.isWhitespace(raw.charAt(0));
      if (value != null && continuation && !trimmed.isEmpty() && !isComment(trimmed)) {
        value.append(' ').append(stripInlineComment(trimmed));
        continue;
      }
      if (value != null) {
        break;
      }
      if (trimmed.isEmpty() || isComment(trimmed)) {
        continue;
      }
      if (trimmed.startsWith("[") && trimmed.endsWith("]")) {
        section = trimmed.substring(1, trimmed.length() - 1).strip();
        continue;
      }
      int sep = firstSeparator(trimmed);
      if (sep < 0 || !"ssh_connection".equals(section)) {
        continue;
      }
      if ("ssh_args".equals(trimmed.substring(0, sep).strip().toLowerCase(Locale.ROOT))) {
        value = new StringBuilder(stripInlineComment(trimmed.substring(sep + 1).strip()));
      }
    }
    return value == null ? ANSIBLE_DEFAULT : value.toString().strip();
  }

  private static boolean isComment(String trimmed) {
    return trimmed.startsWith("#") || trimmed.startsWith(";");
  }

  private static int firstSeparator(String s) {
    int eq = s.indexOf('=');
    int colon = s.indexOf(':');
    if (eq < 0) {
      return colon;
    }
    return colon < 0 ? eq : Math.min(eq, colon);
  }

  private static String stripInlineComment(String s) {
    for (int i = 1; i < s.length(); i++) {
      if (s.charAt(i) == ';' && Character.isWhitespace(s.charAt(i - 1))) {
        return s.substring(0, i).strip();
      }
    }
    return s;
  }
}
