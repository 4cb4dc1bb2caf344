package dev.goldsmith.verifier.check;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds the shell commands the verifier runs as root on a test server. Every value that comes from
 * a spec (user names, binary names, probe arguments, paths) is single-quoted, so nothing in a spec
 * can change a command's meaning. Results come back as {@code GS_<KEY>=value} marker lines.
 */
public final class Commands {

  private Commands() {}

  /** POSIX single-quoting: {@code it's} becomes {@code 'it'\''s'}. */
  public static String quote(String s) {
    return "'" + s.replace("'", "'\\''") + "'";
  }

  /** True when {@code shell} is a shell a person can log in with (not nologin, false, or empty). */
  public static boolean isLoginShell(String shell) {
    if (shell == null || shell.isBlank()) {
      return false;
    }
    String s = shell.strip();
    return !(s.endsWith("/nologin") || s.endsWith("/false") || s.equals("/bin/sync"));
  }

  /**
   * Runs {@code script} through {@code user}'s login shell, as that user, from root: {@code runuser
   * -l} starts the user's own shell as a login shell (profile, PATH as the user gets it). For a
   * user without a login shell (nologin), {@code /bin/bash} is used as the login shell instead,
   * which is the only way to run anything as such a user.
   */
  public static String asLoginUser(String user, String shell, String script) {
    List<String> argv = new ArrayList<>(List.of("runuser", "-l", quote(user)));
    if (!isLoginShell(shell)) {
      argv.add("-s");
      argv.add("/bin/bash");
    }
    argv.add("-c");
    argv.add(quote(script));
    return String.join(" ", argv);
  }

  /**
   * Resolves {@code binary} on the user's login PATH and tests that the user can execute it.
   * Markers: {@code GS_PATH_ENV} (the PATH seen), {@code GS_RESOLVED} (what {@code command -v}
   * answered, empty when nothing), {@code GS_EXEC} ({@code yes}/{@code no}).
   */
  public static String resolveScript(String binary) {
    String b = quote(binary);
    return "echo \"GS_PATH_ENV=$PATH\"; p=$(command -v "
        + b
        + " 2>/dev/null); echo \"GS_RESOLVED=$p\"; "
        + "case \"$p\" in /*) if [ -x \"$p\" ] && [ -f \"$p\" ]; then echo GS_EXEC=yes;"
        + " else echo GS_EXEC=no; fi ;; *) echo GS_EXEC=no ;; esac";
  }

  /** The full root command that resolves a binary for a user. */
  public static String resolve(String user, String shell, String binary) {
    return asLoginUser(user, shell, resolveScript(binary));
  }

  /**
   * Runs {@code path probeArgs…} as the user in the user's login shell, under coreutils {@code
   * timeout} started inside that shell, so the tool is its direct child (exit 124 when it expires;
   * KILL 2 s later if it ignores TERM). Stdin is closed.
   */
  public static String probe(
      String user, String shell, String path, List<String> probeArgs, Duration timeout) {
    long secs = Math.max(1, (timeout.toMillis() + 999) / 1000);
    StringBuilder script =
        new StringBuilder("exec /usr/bin/timeout -k 2 ")
            .append(secs)
            .append(' ')
            .append(quote(path));
    for (String a : probeArgs) {
      script.append(' ').append(quote(a));
    }
    script.append(" </dev/null");
    return asLoginUser(user, shell, script.toString());
  }

  /**
   * A user's passwd entry, group names and whether the home directory exists. Markers: {@code
   * GS_PASSWD} (absent when the user does not exist), {@code GS_GROUPS}, {@code GS_HOME}.
   */
  public static String userInfo(String user) {
    String u = quote(user);
    return "e=$(getent passwd "
        + u
        + ") || { echo GS_MISSING=yes; exit 0; }; echo \"GS_PASSWD=$e\"; "
        + "echo \"GS_GROUPS=$(id -nG "
        + u
        + ")\"; h=$(printf '%s' \"$e\" | cut -d: -f6); "
        + "if [ -n \"$h\" ] && [ -d \"$h\" ]; then echo GS_HOME=yes; else echo GS_HOME=no; fi";
  }

  /** The effective sshd configuration (lower-case {@code key value} lines). */
  public static String sshdEffectiveConfig() {
    return "PATH=/usr/sbin:/usr/bin:/sbin:/bin sshd -T 2>&1";
  }

  /**
   * Prints every {@code authorized_keys} and {@code authorized_keys2} file under every home
   * directory of the passwd database (and /root), each introduced by a {@code GS_FILE=<path>}
   * marker line.
   */
  public static String authorizedKeys() {
    return "for h in $( (getent passwd | cut -d: -f6; echo /root) | sort -u); do "
        + "for f in \"$h/.ssh/authorized_keys\" \"$h/.ssh/authorized_keys2\"; do "
        + "if [ -f \"$f\" ]; then echo \"GS_FILE=$f\"; cat \"$f\"; echo; fi; done; done";
  }

  /** Prints {@code GS_PRESENT=<path>} for each of {@code paths} that exists (links included). */
  public static String forbiddenPaths(List<String> paths) {
    if (paths.isEmpty()) {
      return "true";
    }
    StringBuilder s = new StringBuilder("for p in");
    for (String p : paths) {
      s.append(' ').append(quote(p));
    }
    s.append("; do if [ -e \"$p\" ] || [ -L \"$p\" ]; then echo \"GS_PRESENT=$p\"; fi; done");
    return s.toString();
  }
}
