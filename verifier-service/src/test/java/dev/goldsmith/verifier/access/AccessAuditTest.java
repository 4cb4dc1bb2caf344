package dev.goldsmith.verifier.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import dev.goldsmith.events.AccessDeclaration;
import dev.goldsmith.events.AccessDeclaration.Listening;
import dev.goldsmith.events.AccessDeclaration.Sudoers;
import dev.goldsmith.events.VerificationReport.AccessResult;
import dev.goldsmith.support.ssh.SshKeyPair;
import dev.goldsmith.verifier.FakeImageShell;
import dev.goldsmith.verifier.LocalShell;
import dev.goldsmith.verifier.check.AuthorizedKeysPolicy;
import dev.goldsmith.verifier.ssh.ExecResult;

/** The audit over an in-memory image: what it reports, and that no failed listing passes. */
class AccessAuditTest {
  private static final AccessDeclaration VAULT_BASE =
      new AccessDeclaration(
          Map.of("root", List.of(), "admin", List.of()),
          new Sudoers(Map.of("sudo", List.of("admin")), List.of("README"), List.of()),
          List.of(new Listening("tcp", 22)));

  private static final Set<String> USERS = Set.of("root", "admin", "vault");

  private final SshKeyPair own = SshKeyPair.generateEd25519("goldsmith-verifier");
  private final AuthorizedKeysPolicy policy = new AuthorizedKeysPolicy(List.of(), own.publicKey());
  private final FakeImageShell image = new FakeImageShell(new LocalShell());
  private final AccessAudit audit = new AccessAudit(Duration.ofSeconds(10));

  AccessAuditTest() {
    image.files.put("/root/.ssh/authorized_keys", own.publicKey().line() + "\n");
  }

  private List<AccessResult> undeclared() throws Exception {
    AccessAudit.Result r = audit.run(image, VAULT_BASE, policy, USERS);
    List<AccessResult> bad = r.rows().stream().filter(a -> !a.ok()).toList();
    assertThat(r.check().ok()).isEqualTo(bad.isEmpty());
    return bad;
  }

  @Test
  void aCleanImagePassesWithEveryItemInTheMatrix() throws Exception {
    AccessAudit.Result r = audit.run(image, VAULT_BASE, policy, USERS);
    assertThat(r.check().ok()).as(r.check().detail()).isTrue();
    assertThat(r.check().detail())
        .isEqualTo(
            "3 users (2 with a login shell), 1 key files, 1 sudo groups, 1 sudoers.d entries,"
                + " 2 sockets: everything declared");
    assertThat(r.rows())
        .extracting(a -> a.user() + " " + a.kind() + " " + a.ok())
        .containsExactly(
            "root authorized_key true",
            "- sudoers_file true",
            "admin sudo_group true",
            "root listening true",
            "root listening true");
  }

  @Test
  void everyUndeclaredItemIsARowNamingItsUser() throws Exception {
    SshKeyPair planted = SshKeyPair.generateEd25519("eve@laptop");
    image.files.put("/home/admin/.ssh/authorized_keys2", planted.publicKey().line() + "\n");
    image.group = image.group.replace("sudo:x:27:admin", "sudo:x:27:admin,nobody");
    image.sudoersD.put("90-cloud-init-admin", "admin ALL=(ALL) NOPASSWD:ALL\n");
    image.sudoers += "Defaults !authenticate\n";
    image.ss += "udp UNCONN 0 0 0.0.0.0:5353 0.0.0.0:* users:((\"avahi\",pid=9,fd=1)) uid:65534\n";
    image.sshd.put(
        "root", "authorizedkeysfile .ssh/authorized_keys\ntrustedusercakeys /etc/ssh/ca.pub\n");
    assertThat(undeclared())
        .extracting(a -> a.user() + " | " + a.kind() + " | " + a.item())
        .containsExactlyInAnyOrder(
            "admin | authorized_key | ssh-ed25519 "
                + planted.publicKey().md5Fingerprint()
                + " 'eve@laptop' in /home/admin/.ssh/authorized_keys2",
            "nobody | sudo_group | group sudo",
            "admin | sudoers_file | /etc/sudoers.d/90-cloud-init-admin",
            "admin | sudoers_rule | /etc/sudoers.d/90-cloud-init-admin: admin ALL=(ALL) NOPASSWD:ALL",
            "ALL | sudoers_rule | /etc/sudoers: Defaults !authenticate",
            "nobody | listening | udp 0.0.0.0:5353 (avahi)",
            "root | sshd | trustedusercakeys /etc/ssh/ca.pub");
  }

  @Test
  void aUserWithALoginShellThatTheFamilyDoesNotNameIsUndeclared() throws Exception {
    image.passwd += "deploy:x:1001:1001::/home/deploy:/bin/sh\n";
    image.passwd += "backup:x:34:34:backup:/var/backups:/usr/sbin/nologin\n";
    assertThat(undeclared())
        .extracting(a -> a.user() + " | " + a.kind() + " | " + a.item())
        .containsExactly("deploy | login_user | uid 1001 shell /bin/sh");
  }

  @Test
  void keysAreReadFromWhereSshdLooksForEachUser() throws Exception {
    SshKeyPair planted = SshKeyPair.generateEd25519("central");
    image.defaultSshd = "authorizedkeysfile /etc/ssh/keys/%u\n";
    image.files.put("/etc/ssh/keys/admin", planted.publicKey().line() + "\n");
    assertThat(undeclared())
        .singleElement()
        .satisfies(
            a -> {
              assertThat(a.user()).isEqualTo("admin");
              assertThat(a.item()).endsWith(" in /etc/ssh/keys/admin");
            });
    assertThat(image.commands)
        .filteredOn(c -> c.startsWith("i=0; for p in"))
        .singleElement()
        .satisfies(c -> assertThat(FakeImageShell.words(c)).contains("/etc/ssh/keys/nobody"));
  }

  @Test
  void aGroupARuleNamesIsAuditedAndAPrimaryMemberCounts() throws Exception {
    image.sudoersD.put("ops", "%ops ALL=(ALL) ALL\n");
    image.group += "ops:x:1000:\n";
    List<AccessResult> bad = undeclared();
    assertThat(bad)
        .extracting(a -> a.user() + " " + a.kind() + " " + a.item())
        .contains("admin sudo_group group ops", "%ops sudoers_file /etc/sudoers.d/ops");
  }

  private static ExecResult exit(int rc, String stdout) {
    return new ExecResult(0, stdout + "GS_RC=" + rc + "\n", "some error", 1, false);
  }

  @Test
  void aFailingOrEmptyListingIsAnErrorNeverAPass() {
    image.override.put("ss", c -> exit(127, ""));
    assertThatThrownBy(() -> audit.run(image, VAULT_BASE, policy, USERS))
        .isInstanceOf(ListingException.class)
        .hasMessage("ss -H -tulnpe listing failed (exit 127): some error");

    image.override.put("ss", c -> exit(0, ""));
    assertThatThrownBy(() -> audit.run(image, VAULT_BASE, policy, USERS))
        .isInstanceOf(ListingException.class)
        .hasMessageContaining("ss listed 0 sockets but none on tcp/22");

    image.override.clear();
    image.override.put("passwd", c -> exit(0, ""));
    assertThatThrownBy(() -> audit.run(image, VAULT_BASE, policy, USERS))
        .isInstanceOf(ListingException.class)
        .hasMessageContaining("passwd: no root entry among 0 entries");

    image.override.clear();
    image.override.put("passwd", c -> new ExecResult(null, "", "", 1, true));
    assertThatThrownBy(() -> audit.run(image, VAULT_BASE, policy, USERS))
        .hasMessageContaining("passwd listing timed out");

    image.override.clear();
    image.override.put("group", c -> new ExecResult(0, "root:x:0:\n", "", 1, false));
    assertThatThrownBy(() -> audit.run(image, VAULT_BASE, policy, USERS))
        .hasMessageContaining("group listing gave no exit status");
  }

  @Test
  void cutShortOrUnreadableOutputIsAnError() {
    image.override.put("keys", c -> new ExecResult(0, "GS_KF=0 -\n", "", 1, false));
    assertThatThrownBy(() -> audit.run(image, VAULT_BASE, policy, USERS))
        .isInstanceOf(ListingException.class)
        .hasMessageContaining("reading authorized_keys files output is incomplete");

    image.override.put("keys", c -> new ExecResult(0, "GS_KF=0 !\nGS_END\n", "", 1, false));
    assertThatThrownBy(() -> audit.run(image, VAULT_BASE, policy, USERS))
        .hasMessageContaining("cannot read /root/.ssh/authorized_keys");

    image.override.clear();
    image.sudoersD.put("broken", null);
    image.override.put("sudoers", c -> new ExecResult(0, "GS_END\n", "", 1, false));
    assertThatThrownBy(() -> audit.run(image, VAULT_BASE, policy, USERS))
        .hasMessageContaining("expected one /etc/sudoers marker, got 0");
  }

  @Test
  void aSudoersEntryThatIsNotAFileIsUndeclaredEvenWhenItsNameIsDeclared() throws Exception {
    image.sudoersD.put("README", null);
    assertThat(undeclared())
        .singleElement()
        .satisfies(a -> assertThat(a.detail()).isEqualTo("not a regular file"));
  }
}
