package dev.goldsmith.verifier.check;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import dev.goldsmith.verifier.ssh.ExecResult;

/**
 * A user as the server's passwd and group databases see it.
 *
 * @param groups group names, primary group included
 * @param homeExists whether the home directory exists
 */
public record UserInfo(
    String name, int uid, String home, String shell, List<String> groups, boolean homeExists) {

  /** Parses the output of {@link Commands#userInfo(String)}; empty when the user is missing. */
  public static Optional<UserInfo> parse(String name, ExecResult r) {
    String passwd = r.marker("GS_PASSWD");
    if (passwd == null || r.marker("GS_MISSING") != null) {
      return Optional.empty();
    }
    String[] f = passwd.split(":", -1);
    if (f.length < 7) {
      return Optional.empty();
    }
    int uid;
    try {
      uid = Integer.parseInt(f[2]);
    } catch (NumberFormatException e) {
      uid = -1;
    }
    String groupLine = r.marker("GS_GROUPS");
    List<String> groups =
        groupLine == null || groupLine.isBlank()
            ? List.of()
            : Arrays.asList(groupLine.strip().split("\\s+"));
    return Optional.of(
        new UserInfo(
            name, uid, f[5], f[6], List.copyOf(groups), "yes".equals(r.marker("GS_HOME"))));
  }
}
