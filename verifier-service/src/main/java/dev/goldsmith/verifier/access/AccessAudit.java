package dev.goldsmith.verifier.access;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import dev.goldsmith.events.AccessDeclaration;
import dev.goldsmith.events.VerificationReport.AccessResult;
import dev.goldsmith.events.VerificationReport.CheckResult;
import dev.goldsmith.support.ssh.SshPublicKey;
import dev.goldsmith.verifier.check.AuthorizedKeysPolicy;
import dev.goldsmith.verifier.ssh.RemoteShell;

/**
 * Audits who can reach a fresh instance against the family's {@link AccessDeclaration}: the keys in
 * every file sshd reads for every passwd user, sshd's other key sources, the members of the
 * sudo-granting groups, {@code /etc/sudoers.d} and the rules of every sudoers file, and the
 * listening TCP/UDP sockets. Each item found is a row of the per-user matrix; anything undeclared
 * fails it. A listing that fails, is cut short or is empty where something must exist throws {@link
 * ListingException}: it never passes.
 */
public final class AccessAudit {
  /** Row kinds. */
  public static final String KEY = "authorized_key";

  public static final String SSHD = "sshd";
  public static final String GROUP = "sudo_group";
  public static final String FILE = "sudoers_file";
  public static final String RULE = "sudoers_rule";
  public static final String LISTENING = "listening";
  public static final String LOGIN_USER = "login_user";

  private final Duration timeout;

  public AccessAudit(Duration timeout) {
    this.timeout = timeout;
  }

  /** The rows and the one check that sums them up. */
  public record Result(List<AccessResult> rows, CheckResult check) {}

  /**
   * Runs the audit as root over {@code shell}. {@code declaredUsers} are the users the family names
   * (image users and matrix users); any other user with a login shell, root aside, is undeclared.
   */
  public Result run(
      RemoteShell shell,
      AccessDeclaration declared,
      AuthorizedKeysPolicy keyPolicy,
      Set<String> declaredUsers)
      throws IOException {
    Listings run = new Listings(shell, timeout);
    Map<String, PasswdEntry> users = new LinkedHashMap<>();
    for (PasswdEntry p : PasswdEntry.parse(run.listing(AccessCommands.passwd(), "passwd"))) {
      users.putIfAbsent(p.name(), p);
    }
    List<GroupEntry> groups = GroupEntry.parse(run.listing(AccessCommands.groups(), "group"));
    List<AccessResult> rows = new ArrayList<>();
    for (PasswdEntry p : users.values()) {
      if (p.loginShell() && !p.name().equals("root") && !declaredUsers.contains(p.name())) {
        rows.add(
            new AccessResult(
                p.name(),
                LOGIN_USER,
                "uid " + p.uid() + " shell " + p.shell(),
                false,
                "user with a login shell not declared in image.users or the matrix"));
      }
    }
    int files = KeyAudit.run(run, users, declared, keyPolicy, rows);
    SudoAudit.Counts sudo = SudoAudit.run(run, List.copyOf(users.values()), groups, declared, rows);
    List<ListeningSocket> sockets =
        ListeningSocket.parse(run.listing(AccessCommands.listening(), "ss -H -tulnpe"));
    if (sockets.stream().noneMatch(s -> s.proto().equals("tcp") && s.port() == 22)) {
      throw new ListingException(
          "ss listed "
              + sockets.size()
              + " sockets but none on tcp/22, where this SSH session came in: the listing is"
              + " not trustworthy");
    }
    for (ListeningSocket s : sockets) {
      rows.add(listening(s, users.values(), declared));
    }
    long login = users.values().stream().filter(PasswdEntry::loginShell).count();
    List<String> bad =
        rows.stream()
            .filter(r -> !r.ok())
            .map(r -> r.user() + " " + r.kind() + " " + r.item() + " (" + r.detail() + ")")
            .toList();
    String counts =
        users.size()
            + " users ("
            + login
            + " with a login shell), "
            + files
            + " key files, "
            + sudo.groups()
            + " sudo groups, "
            + sudo.files()
            + " sudoers.d entries, "
            + sockets.size()
            + " sockets";
    CheckResult check =
        bad.isEmpty()
            ? new CheckResult("access", true, counts + ": everything declared")
            : new CheckResult(
                "access", false, bad.size() + " undeclared: " + String.join("; ", bad));
    return new Result(rows, check);
  }

  private static AccessResult listening(
      ListeningSocket s, java.util.Collection<PasswdEntry> users, AccessDeclaration declared) {
    String owner =
        users.stream()
            .filter(p -> p.uid() == s.uid())
            .map(PasswdEntry::name)
            .findFirst()
            .orElse("uid " + s.uid());
    String item = s.endpoint() + (s.process().isEmpty() ? "" : " (" + s.process() + ")");
    boolean ok =
        declared.listening().stream()
            .anyMatch(l -> l.proto().equals(s.proto()) && l.port() == s.port());
    return new AccessResult(
        owner,
        LISTENING,
        item,
        ok,
        ok ? "declared " + s.proto() + "/" + s.port() : "port not declared in access.listening");
  }

  /** Why a key may stay, or empty when it is undeclared. */
  static Optional<String> allowed(
      PasswdEntry user, SshPublicKey key, AccessDeclaration declared, SshPublicKey own) {
    if (own != null && own.sameKey(key) && user.name().equals("root")) {
      return Optional.of("the verifier's own key, injected through the cloud for this test server");
    }
    for (String line : declared.authorizedKeys().getOrDefault(user.name(), List.of())) {
      Optional<SshPublicKey> d = SshPublicKey.tryParse(line);
      if (d.isPresent() && d.get().sameKey(key)) {
        return Optional.of("declared for " + user.name());
      }
    }
    return Optional.empty();
  }
}
