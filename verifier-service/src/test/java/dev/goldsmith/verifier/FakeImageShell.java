package dev.goldsmith.verifier;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.goldsmith.verifier.access.AccessCommands;
import dev.goldsmith.verifier.ssh.ExecResult;
import dev.goldsmith.verifier.ssh.RemoteShell;

/**
 * Answers the access audit's listings from an in-memory image, in the format of the real scripts,
 * and passes every other command to a real shell. Fields are the image; {@link #override} replaces
 * the answer to one listing (failures, truncation).
 */
public final class FakeImageShell implements RemoteShell {
  private static final Pattern QUOTED = Pattern.compile("'((?:[^']|'\\\\'')*)'");

  public String passwd =
      "root:x:0:0:root:/root:/bin/bash\n"
          + "nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n"
          + "admin:x:1000:1000::/home/admin:/bin/bash\n";
  public String group = "root:x:0:\nsudo:x:27:admin\nadmin:x:1000:\nnogroup:x:65534:\n";
  public String ss =
      "tcp   LISTEN 0      128          0.0.0.0:22        0.0.0.0:*"
          + " users:((\"sshd\",pid=301,fd=3)) ino:1 sk:1 cgroup:/ <->\n"
          + "tcp   LISTEN 0      128             [::]:22           [::]:*"
          + " users:((\"sshd\",pid=301,fd=4)) ino:2 sk:2 cgroup:/ v6only:1 <->\n";
  public Map<String, String> sshd = new LinkedHashMap<>();
  public String defaultSshd = "authorizedkeysfile .ssh/authorized_keys .ssh/authorized_keys2\n";
  public final Map<String, String> files = new LinkedHashMap<>();
  public String sudoers =
      "Defaults\tenv_reset\nroot\tALL=(ALL:ALL) ALL\n%sudo\tALL=(ALL:ALL) ALL\n"
          + "@includedir /etc/sudoers.d\n";
  public final Map<String, String> sudoersD = new LinkedHashMap<>(Map.of("README", "# see\n"));
  public final Map<String, Function<String, ExecResult>> override = new LinkedHashMap<>();
  public final List<String> commands = new ArrayList<>();

  private final RemoteShell other;

  public FakeImageShell(RemoteShell other) {
    this.other = other;
  }

  /** Listing names for {@link #override}: passwd, group, ss, sshd, keys, sudoers. */
  private static String kind(String command) {
    if (command.equals(AccessCommands.passwd())) {
      return "passwd";
    }
    if (command.equals(AccessCommands.groups())) {
      return "group";
    }
    if (command.equals(AccessCommands.listening())) {
      return "ss";
    }
    if (command.equals(AccessCommands.sudoers())) {
      return "sudoers";
    }
    if (command.startsWith("for u in") && command.contains("sshd -T")) {
      return "sshd";
    }
    if (command.startsWith("i=0; for p in")) {
      return "keys";
    }
    return null;
  }

  @Override
  public ExecResult exec(String command, Duration timeout) throws IOException {
    commands.add(command);
    String kind = kind(command);
    if (kind == null) {
      return other.exec(command, timeout);
    }
    if (override.containsKey(kind)) {
      return override.get(kind).apply(command);
    }
    String out =
        switch (kind) {
          case "passwd" -> passwd + "GS_RC=0\n";
          case "group" -> group + "GS_RC=0\n";
          case "ss" -> ss + "GS_RC=0\n";
          case "sshd" -> sshdAnswer(command);
          case "keys" -> keysAnswer(command);
          default -> sudoersAnswer();
        };
    return new ExecResult(0, out, "", 1, false);
  }

  /** The single-quoted words between {@code for x in} and {@code ; do}. */
  public static List<String> words(String command) {
    String list = command.substring(command.indexOf(" in ") + 4, command.indexOf("; do"));
    List<String> out = new ArrayList<>();
    Matcher m = QUOTED.matcher(list);
    while (m.find()) {
      out.add(m.group(1).replace("'\\''", "'"));
    }
    return out;
  }

  private String sshdAnswer(String command) {
    StringBuilder out = new StringBuilder();
    for (String u : words(command)) {
      out.append("GS_SSHD=")
          .append(u)
          .append(" 0 ")
          .append(b64(sshd.getOrDefault(u, defaultSshd).strip()))
          .append('\n');
    }
    return out.append("GS_END\n").toString();
  }

  private String keysAnswer(String command) {
    StringBuilder out = new StringBuilder();
    List<String> paths = words(command);
    for (int i = 0; i < paths.size(); i++) {
      String c = files.get(paths.get(i));
      out.append("GS_KF=").append(i).append(' ').append(c == null ? "-" : b64(c)).append('\n');
    }
    return out.append("GS_END\n").toString();
  }

  private String sudoersAnswer() {
    StringBuilder out = new StringBuilder("GS_SUDOERS=");
    out.append(sudoers == null ? "-" : b64(sudoers)).append('\n');
    sudoersD.forEach(
        (n, c) ->
            out.append("GS_SUDOERS_D=")
                .append(b64(n))
                .append(' ')
                .append(c == null ? "?" : b64(c))
                .append('\n'));
    return out.append("GS_END\n").toString();
  }

  private static String b64(String s) {
    return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
  }

  @Override
  public String endpoint() {
    return other.endpoint();
  }

  @Override
  public void close() {
    other.close();
  }
}
