package dev.goldsmith.verifier.access;

import java.util.List;

import dev.goldsmith.verifier.check.Commands;

/**
 * The root commands of the access audit. File contents and command output the image controls come
 * back base64-encoded on one marker line each, so no file can forge a marker, and every script ends
 * with {@code GS_END}, so output cut short is never mistaken for a short listing.
 */
public final class AccessCommands {
  static final String END = "GS_END";
  private static final String SBIN = "PATH=/usr/sbin:/usr/bin:/sbin:/bin ";

  private AccessCommands() {}

  /** {@code getent passwd}, then {@code GS_RC=<exit>}. */
  public static String passwd() {
    return "getent passwd; echo \"GS_RC=$?\"";
  }

  /** {@code getent group}, then {@code GS_RC=<exit>}. */
  public static String groups() {
    return "getent group; echo \"GS_RC=$?\"";
  }

  /** Listening TCP/UDP sockets with owner uid and process, then {@code GS_RC=<exit>}. */
  public static String listening() {
    return SBIN + "ss -H -tulnpe; echo \"GS_RC=$?\"";
  }

  /**
   * Per user: {@code GS_SSHD=<user> <exit> <base64>} where the base64 holds the key-related lines
   * of {@code sshd -T -C user=<user>} (authorizedkeysfile, authorizedkeyscommand,
   * trustedusercakeys), or its error output when it failed.
   */
  public static String sshdPerUser(List<String> users) {
    StringBuilder s = new StringBuilder("for u in");
    users.forEach(u -> s.append(' ').append(Commands.quote(u)));
    s.append("; do o=$(")
        .append(SBIN)
        .append("sshd -T -C user=\"$u\" 2>&1); rc=$?; ")
        .append("if [ $rc -eq 0 ]; then o=$(printf '%s\\n' \"$o\" | grep -Ei ")
        .append("'^(authorizedkeysfile|authorizedkeyscommand|trustedusercakeys) '); fi; ")
        .append(
            "printf 'GS_SSHD=%s %s %s\\n' \"$u\" \"$rc\" \"$(printf '%s' \"$o\" | base64 -w0)\";")
        .append(" done; echo ")
        .append(END);
    return s.toString();
  }

  /**
   * Per path (by index): {@code GS_KF=<i> <base64>} for a regular file ({@code !} when it cannot be
   * read), {@code GS_KF=<i> -} when there is none.
   */
  public static String keyFiles(List<String> paths) {
    StringBuilder s = new StringBuilder("i=0; for p in");
    paths.forEach(p -> s.append(' ').append(Commands.quote(p)));
    s.append("; do if [ -f \"$p\" ]; then c=$(base64 -w0 < \"$p\") || c='!'; ")
        .append("printf 'GS_KF=%s %s\\n' $i \"$c\"; else printf 'GS_KF=%s -\\n' $i; fi; ")
        .append("i=$((i+1)); done; echo ")
        .append(END);
    return s.toString();
  }

  /**
   * {@code GS_SUDOERS=<base64>} ({@code -} when absent), then per entry of {@code /etc/sudoers.d}
   * (dot files included) {@code GS_SUDOERS_D=<base64 name> <base64 content>} ({@code ?} for what is
   * not a regular file, {@code !} for what cannot be read).
   */
  public static String sudoers() {
    return "if [ -e /etc/sudoers ]; then c=$(base64 -w0 < /etc/sudoers) || c='!'; "
        + "echo \"GS_SUDOERS=$c\"; else echo 'GS_SUDOERS=-'; fi; "
        + "if [ -d /etc/sudoers.d ]; then "
        + "for f in /etc/sudoers.d/* /etc/sudoers.d/.[!.]* /etc/sudoers.d/..?*; do "
        + "if [ -e \"$f\" ] || [ -L \"$f\" ]; then n=$(printf '%s' \"${f##*/}\" | base64 -w0); "
        + "if [ -f \"$f\" ]; then c=$(base64 -w0 < \"$f\") || c='!'; else c='?'; fi; "
        + "echo \"GS_SUDOERS_D=$n $c\"; fi; done; fi; echo "
        + END;
  }
}
