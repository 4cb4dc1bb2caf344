package dev.goldsmith.verifier.access;

import java.io.IOException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import dev.goldsmith.events.AccessDeclaration;
import dev.goldsmith.events.VerificationReport.AccessResult;
import dev.goldsmith.support.ssh.SshPublicKey;
import dev.goldsmith.verifier.check.AuthorizedKeysPolicy;
import dev.goldsmith.verifier.ssh.ExecResult;

/**
 * The key part of the access audit: for every passwd user, what {@code sshd -T -C user=<u>} says
 * about key sources, and every line of every file sshd reads keys from for that user.
 */
final class KeyAudit {

  private KeyAudit() {}

  /** Adds the rows; returns how many key files exist. */
  static int run(
      Listings run,
      Map<String, PasswdEntry> users,
      AccessDeclaration declared,
      AuthorizedKeysPolicy policy,
      List<AccessResult> rows)
      throws IOException {
    Map<String, Map<String, String>> sshd = sshd(run, List.copyOf(users.keySet()));
    Map<String, List<String>> filesOf = new LinkedHashMap<>();
    Set<String> all = new LinkedHashSet<>();
    for (PasswdEntry u : users.values()) {
      Map<String, String> cfg = sshd.get(u.name());
      source(
          u, cfg, "authorizedkeyscommand", "keys come from a command the audit cannot see", rows);
      source(
          u,
          cfg,
          "trustedusercakeys",
          "certificates signed by these CAs log in without an authorized key",
          rows);
      List<String> files = AuthorizedKeysFiles.of(cfg.get("authorizedkeysfile"), u);
      filesOf.put(u.name(), files);
      all.addAll(files);
    }
    Map<String, String> content = read(run, List.copyOf(all));
    for (PasswdEntry u : users.values()) {
      for (String file : filesOf.get(u.name())) {
        String text = content.get(file);
        if (text != null) {
          lines(u, file, text, declared, policy, rows);
        }
      }
    }
    return (int) content.values().stream().filter(v -> v != null).count();
  }

  /** Parses the output of {@link AccessCommands#sshdPerUser(List)}: per user, keyword → value. */
  static Map<String, Map<String, String>> parseSshd(ExecResult r, List<String> users)
      throws ListingException {
    Map<String, Map<String, String>> out = new HashMap<>();
    for (String m : Listings.markers(r, "GS_SSHD")) {
      String[] f = m.split(" ", 3);
      if (f.length < 2) {
        throw new ListingException("sshd -T: malformed marker '" + m + "'");
      }
      String text = Listings.decode(f.length > 2 ? f[2] : "", "sshd -T output for " + f[0]);
      if (!f[1].equals("0")) {
        throw new ListingException(
            "sshd -T -C user="
                + f[0]
                + " failed (exit "
                + f[1]
                + ")"
                + text.lines().findFirst().map(l -> ": " + l).orElse(""));
      }
      out.put(f[0], effective(text));
    }
    for (String u : users) {
      if (!out.containsKey(u)) {
        throw new ListingException("sshd -T -C user=" + u + " gave no answer");
      }
    }
    return out;
  }

  /** {@code sshd -T} lines as lower-case keyword → value (first occurrence wins, as in sshd). */
  static Map<String, String> effective(String sshdT) {
    Map<String, String> out = new LinkedHashMap<>();
    sshdT
        .lines()
        .map(String::strip)
        .filter(l -> !l.isEmpty())
        .forEach(
            l -> {
              String[] kv = l.split("\\s+", 2);
              out.putIfAbsent(kv[0].toLowerCase(Locale.ROOT), kv.length > 1 ? kv[1] : "");
            });
    return out;
  }

  private static Map<String, Map<String, String>> sshd(Listings run, List<String> users)
      throws IOException {
    return parseSshd(run.complete(AccessCommands.sshdPerUser(users), "sshd -T per user"), users);
  }

  private static void source(
      PasswdEntry u, Map<String, String> cfg, String key, String why, List<AccessResult> rows) {
    String v = cfg.get(key);
    if (v != null && !v.isBlank() && !v.strip().equalsIgnoreCase("none")) {
      rows.add(new AccessResult(u.name(), AccessAudit.SSHD, key + " " + v.strip(), false, why));
    }
  }

  /** Path → content, null when there is no regular file. */
  private static Map<String, String> read(Listings run, List<String> paths) throws IOException {
    ExecResult r = run.complete(AccessCommands.keyFiles(paths), "reading authorized_keys files");
    Map<String, String> out = new HashMap<>();
    for (String m : Listings.markers(r, "GS_KF")) {
      String[] f = m.split(" ", 2);
      int i;
      try {
        i = Integer.parseInt(f[0]);
      } catch (NumberFormatException e) {
        throw new ListingException("authorized_keys: malformed marker '" + m + "'");
      }
      if (i < 0 || i >= paths.size()) {
        throw new ListingException("authorized_keys: marker for unknown file " + i);
      }
      String v = f.length > 1 ? f[1] : "";
      out.put(paths.get(i), v.equals("-") ? null : Listings.decode(v, paths.get(i)));
    }
    if (out.size() != paths.size()) {
      throw new ListingException(
          "authorized_keys: " + out.size() + " of " + paths.size() + " files answered");
    }
    return out;
  }

  /** One row per key line of a file (blank lines and comments aside). */
  static void lines(
      PasswdEntry u,
      String file,
      String text,
      AccessDeclaration declared,
      AuthorizedKeysPolicy policy,
      List<AccessResult> rows) {
    int n = 0;
    for (String line : text.split("\n", -1)) {
      n++;
      String l = line.strip();
      if (l.isEmpty() || l.startsWith("#")) {
        continue;
      }
      Optional<SshPublicKey> k = SshPublicKey.tryParse(l);
      if (k.isEmpty()) {
        rows.add(
            new AccessResult(
                u.name(),
                AccessAudit.KEY,
                "line " + n + " of " + file,
                false,
                "not a key line the audit understands; sshd may still accept it"));
        continue;
      }
      SshPublicKey key = k.get();
      String item =
          key.type()
              + " "
              + key.md5Fingerprint()
              + (key.comment().isEmpty() ? "" : " '" + key.comment() + "'")
              + (key.options().isEmpty() ? "" : " [" + key.options() + "]")
              + " in "
              + file;
      Optional<String> ok = AccessAudit.allowed(u, key, declared, policy.own());
      String why =
          ok.orElseGet(
              () ->
                  "not declared for "
                      + u.name()
                      + (key.sameKey(policy.own())
                          ? " (the verifier's key, which the cloud injects for root only)"
                          : policy.violation(key).map(v -> " (" + v + ")").orElse("")));
      rows.add(new AccessResult(u.name(), AccessAudit.KEY, item, ok.isPresent(), why));
    }
  }
}
