package dev.goldsmith.verifier.access;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.goldsmith.events.AccessDeclaration;
import dev.goldsmith.events.VerificationReport.AccessResult;
import dev.goldsmith.verifier.ssh.ExecResult;

/**
 * The sudo part of the access audit: every entry of {@code /etc/sudoers.d}, every rule of every
 * sudoers file that is neither a Debian default nor declared, and every member (secondary or
 * primary) of the sudo-granting groups: {@code sudo}, {@code wheel}, the declared groups and any
 * {@code %group} a rule names.
 */
final class SudoAudit {
  static final String SUDOERS = "/etc/sudoers";
  static final String SUDOERS_D = "/etc/sudoers.d/";
  private static final Set<String> SUDO_GROUPS = Set.of("sudo", "wheel");

  private SudoAudit() {}

  /** What was audited. */
  record Counts(int groups, int files) {}

  /** Sudoers file path → its content, null for an entry that is not a regular file. */
  static Map<String, String> parse(ExecResult r) throws ListingException {
    Map<String, String> out = new LinkedHashMap<>();
    List<String> main = Listings.markers(r, "GS_SUDOERS");
    if (main.size() != 1) {
      throw new ListingException("sudoers: expected one /etc/sudoers marker, got " + main.size());
    }
    if (!main.get(0).equals("-")) {
      out.put(SUDOERS, Listings.decode(main.get(0), SUDOERS));
    }
    for (String m : Listings.markers(r, "GS_SUDOERS_D")) {
      String[] f = m.split(" ", 2);
      String name = Listings.decode(f[0], "a name in " + SUDOERS_D);
      String c = f.length > 1 ? f[1] : "";
      out.put(SUDOERS_D + name, c.equals("?") ? null : Listings.decode(c, SUDOERS_D + name));
    }
    return out;
  }

  static Counts run(
      Listings run,
      List<PasswdEntry> passwd,
      List<GroupEntry> groups,
      AccessDeclaration declared,
      List<AccessResult> rows)
      throws IOException {
    Map<String, String> files = parse(run.complete(AccessCommands.sudoers(), "reading sudoers"));
    AccessDeclaration.Sudoers d = declared.sudoers();
    Set<String> allowedRules = new LinkedHashSet<>(SudoersRules.DEBIAN_DEFAULTS);
    allowedRules.addAll(d.rules());
    Set<String> sudoGroups = new LinkedHashSet<>(SUDO_GROUPS);
    sudoGroups.addAll(d.groups().keySet());
    int entries = 0;
    for (Map.Entry<String, String> f : files.entrySet()) {
      String path = f.getKey();
      List<String> lines = f.getValue() == null ? List.of() : SudoersRules.lines(f.getValue());
      lines.forEach(l -> sudoGroups.addAll(SudoersRules.groups(l)));
      if (path.startsWith(SUDOERS_D)) {
        entries++;
        rows.addAll(file(path, f.getValue() == null, lines, d));
      }
      for (String l : lines) {
        if (!allowedRules.contains(l)) {
          for (String u : SudoersRules.users(l)) {
            rows.add(
                new AccessResult(
                    u,
                    AccessAudit.RULE,
                    path + ": " + l,
                    false,
                    "neither a Debian default nor declared in access.sudoers.rules"));
          }
        } else if (d.rules().contains(l)) {
          for (String u : SudoersRules.users(l)) {
            rows.add(new AccessResult(u, AccessAudit.RULE, path + ": " + l, true, "declared"));
          }
        }
      }
    }
    int audited = 0;
    for (GroupEntry g : groups) {
      if (!sudoGroups.contains(g.name())) {
        continue;
      }
      audited++;
      List<String> allowed = d.groups().getOrDefault(g.name(), List.of());
      for (String m : g.allMembers(passwd)) {
        boolean ok = allowed.contains(m);
        rows.add(
            new AccessResult(
                m,
                AccessAudit.GROUP,
                "group " + g.name(),
                ok,
                ok
                    ? "declared member"
                    : "member of a sudo-granting group, not declared in access.sudoers.groups"));
      }
    }
    return new Counts(audited, entries);
  }

  private static List<AccessResult> file(
      String path, boolean notRegular, List<String> lines, AccessDeclaration.Sudoers d) {
    String name = path.substring(SUDOERS_D.length());
    boolean ok = d.files().contains(name) && !notRegular;
    String why =
        notRegular
            ? "not a regular file"
            : ok ? "declared in access.sudoers.files" : "not declared in access.sudoers.files";
    Set<String> users = new LinkedHashSet<>();
    lines.forEach(l -> users.addAll(SudoersRules.users(l)));
    if (users.isEmpty()) {
      users.add("-");
    }
    List<AccessResult> out = new ArrayList<>();
    for (String u : users) {
      out.add(new AccessResult(u, AccessAudit.FILE, path, ok, why));
    }
    return out;
  }
}
