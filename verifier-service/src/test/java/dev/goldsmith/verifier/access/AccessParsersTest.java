package dev.goldsmith.verifier.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.goldsmith.events.AccessDeclaration;
import dev.goldsmith.events.VerificationReport.AccessResult;
import dev.goldsmith.support.ssh.SshKeyPair;
import dev.goldsmith.verifier.check.AuthorizedKeysPolicy;
import dev.goldsmith.verifier.ssh.ExecResult;

/** The audit's parsers, on output as the real tools print it. */
class AccessParsersTest {

  private static final PasswdEntry ADMIN =
      new PasswdEntry("admin", 1000, 1000, "/home/admin", "/bin/bash");

  @Test
  void passwdEntriesAreParsedAndLoginShellsRecognised() throws Exception {
    List<PasswdEntry> p =
        PasswdEntry.parse(
            "root:x:0:0:root:/root:/bin/bash\n"
                + "daemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin\n"
                + "sync:x:4:65534:sync:/bin:/bin/sync\n"
                + "admin:x:1000:1000:Admin,,,:/home/admin:/bin/bash\n"
                + "vault:x:999:999::/home/vault:/bin/false\n");
    assertThat(p)
        .extracting(PasswdEntry::name)
        .containsExactly("root", "daemon", "sync", "admin", "vault");
    assertThat(p)
        .filteredOn(PasswdEntry::loginShell)
        .extracting(PasswdEntry::name)
        .containsExactly("root", "admin");
    assertThat(p.get(3)).isEqualTo(ADMIN);
  }

  @Test
  void aPasswdListingWithoutRootOrWithAMalformedLineIsAnError() {
    assertThatThrownBy(() -> PasswdEntry.parse(""))
        .isInstanceOf(ListingException.class)
        .hasMessageContaining("no root entry among 0 entries");
    assertThatThrownBy(() -> PasswdEntry.parse("admin:x:1000:1000::/home/admin:/bin/bash\n"))
        .hasMessageContaining("no root entry");
    assertThatThrownBy(() -> PasswdEntry.parse("root:x:0:0:root:/root:/bin/bash\nGS_RC=0\n"))
        .hasMessage("passwd: malformed entry 'GS_RC=0'");
    assertThatThrownBy(() -> PasswdEntry.parse("root:x:zero:0:root:/root:/bin/bash\n"))
        .hasMessageContaining("non-numeric uid");
  }

  @Test
  void groupMembersIncludeUsersWhosePrimaryGroupItIs() throws Exception {
    List<GroupEntry> g =
        GroupEntry.parse("root:x:0:\nsudo:x:27:admin,ops\nwheel:x:10:\nadm:x:4:syslog\n");
    assertThat(g).hasSize(4);
    assertThat(g.get(1).members()).containsExactly("admin", "ops");
    assertThat(g.get(2).members()).isEmpty();
    List<PasswdEntry> passwd =
        List.of(
            new PasswdEntry("root", 0, 0, "/root", "/bin/bash"),
            new PasswdEntry("eve", 1001, 10, "/home/eve", "/bin/sh"));
    assertThat(g.get(2).allMembers(passwd)).containsExactly("eve");
    assertThat(g.get(1).allMembers(passwd)).containsExactly("admin", "ops");
    assertThatThrownBy(() -> GroupEntry.parse("sudo:x:27:admin\n"))
        .isInstanceOf(ListingException.class)
        .hasMessageContaining("no gid 0");
    assertThatThrownBy(() -> GroupEntry.parse("root:x:0\n")).hasMessageContaining("malformed");
  }

  @Test
  void ssOutputGivesProtoAddressPortOwnerAndProcess() throws Exception {
    List<ListeningSocket> s =
        ListeningSocket.parse(
            "tcp   LISTEN 0      128          0.0.0.0:22        0.0.0.0:*"
                + " users:((\"sshd\",pid=301,fd=3)) ino:1145 sk:8 cgroup:/system.slice/ssh.service <->\n"
                + "tcp   LISTEN 0      4096   127.0.0.53%lo:53        0.0.0.0:*"
                + " users:((\"systemd-resolve\",pid=210,fd=14)) uid:991 ino:20 sk:2 <->\n"
                + "udp   UNCONN 0      0            0.0.0.0:68        0.0.0.0:*"
                + " users:((\"dhclient\",pid=400,fd=7)) ino:30 sk:3 <->\n"
                + "tcp   LISTEN 0      50     [::ffff:127.0.0.1]:19092       *:*"
                + " users:((\"java\",pid=6609,fd=97)) uid:107 ino:15519 sk:c v6only:0 <->\n"
                + "tcp   LISTEN 0      4096                *:8200            *:*"
                + " users:((\"systemd\",pid=1,fd=40)) ino:9 sk:9 <->\n"
                + "udp   UNCONN 0      0      [fe80::1%eth0]:546            [::]:*"
                + " uid:4294967294 ino:31 sk:4 <->\n");
    assertThat(s)
        .extracting(ListeningSocket::endpoint)
        .containsExactly(
            "tcp 0.0.0.0:22",
            "tcp 127.0.0.53%lo:53",
            "udp 0.0.0.0:68",
            "tcp [::ffff:127.0.0.1]:19092",
            "tcp *:8200",
            "udp [fe80::1%eth0]:546");
    assertThat(s)
        .extracting(ListeningSocket::uid)
        .containsExactly(0, 991, 0, 107, 0, Integer.MAX_VALUE);
    assertThat(s)
        .extracting(ListeningSocket::process)
        .containsExactly("sshd", "systemd-resolve", "dhclient", "java", "systemd", "");
    assertThat(ListeningSocket.parse("")).isEmpty();
    assertThatThrownBy(() -> ListeningSocket.parse("LISTEN 0 128 0.0.0.0:22 0.0.0.0:*\n"))
        .isInstanceOf(ListingException.class)
        .hasMessageContaining("unexpected line");
    assertThatThrownBy(() -> ListeningSocket.parse("tcp LISTEN 0 128 0.0.0.0:ssh 0.0.0.0:*\n"))
        .hasMessageContaining("no port");
  }

  @Test
  void authorizedKeysFileTokensExpandAsSshdExpandsThem() throws Exception {
    assertThat(AuthorizedKeysFiles.expand("%h/.ssh/authorized_keys", ADMIN))
        .isEqualTo("/home/admin/.ssh/authorized_keys");
    assertThat(AuthorizedKeysFiles.expand("/etc/ssh/keys/%u", ADMIN))
        .isEqualTo("/etc/ssh/keys/admin");
    assertThat(AuthorizedKeysFiles.expand("/etc/ssh/keys/%U.pub", ADMIN))
        .isEqualTo("/etc/ssh/keys/1000.pub");
    assertThat(AuthorizedKeysFiles.expand("/etc/ssh/100%%/%u", ADMIN))
        .isEqualTo("/etc/ssh/100%/admin");
    assertThat(AuthorizedKeysFiles.expand(".ssh/keys", ADMIN)).isEqualTo("/home/admin/.ssh/keys");
    PasswdEntry slash = new PasswdEntry("odd", 5, 5, "/", "/bin/sh");
    assertThat(AuthorizedKeysFiles.expand(".ssh/authorized_keys", slash))
        .isEqualTo("/.ssh/authorized_keys");
    assertThatThrownBy(() -> AuthorizedKeysFiles.expand("/k/%x", ADMIN))
        .isInstanceOf(ListingException.class)
        .hasMessageContaining("unknown token %x");
    assertThatThrownBy(() -> AuthorizedKeysFiles.expand("/k/%", ADMIN))
        .hasMessageContaining("lone %");
  }

  @Test
  void theDefaultFilesAreAlwaysAuditedWhateverSshdSays() throws Exception {
    assertThat(AuthorizedKeysFiles.of(".ssh/authorized_keys .ssh/authorized_keys2", ADMIN))
        .containsExactly("/home/admin/.ssh/authorized_keys", "/home/admin/.ssh/authorized_keys2");
    assertThat(AuthorizedKeysFiles.of("/etc/ssh/authorized_keys/%u", ADMIN))
        .containsExactly(
            "/etc/ssh/authorized_keys/admin",
            "/home/admin/.ssh/authorized_keys",
            "/home/admin/.ssh/authorized_keys2");
    assertThat(AuthorizedKeysFiles.of("none", ADMIN))
        .containsExactly("/home/admin/.ssh/authorized_keys", "/home/admin/.ssh/authorized_keys2");
    assertThat(AuthorizedKeysFiles.of(null, ADMIN)).hasSize(2);
  }

  @Test
  void sshdOutputPerUserIsDecodedAndAFailureIsAnError() throws Exception {
    String b64 =
        java.util.Base64.getEncoder()
            .encodeToString(
                ("authorizedkeysfile /etc/ssh/keys/%u\nAuthorizedKeysCommand none\n"
                        + "authorizedkeysfile ignored-second\n")
                    .getBytes());
    ExecResult ok =
        new ExecResult(0, "GS_SSHD=admin 0 " + b64 + "\nGS_SSHD=root 0 \nGS_END\n", "", 1, false);
    Map<String, Map<String, String>> cfg = KeyAudit.parseSshd(ok, List.of("admin", "root"));
    assertThat(cfg.get("admin"))
        .containsEntry("authorizedkeysfile", "/etc/ssh/keys/%u")
        .containsEntry("authorizedkeyscommand", "none");
    assertThat(cfg.get("root")).isEmpty();

    String err =
        java.util.Base64.getEncoder()
            .encodeToString("/etc/ssh/sshd_config line 9: Bad configuration option".getBytes());
    ExecResult failed = new ExecResult(0, "GS_SSHD=admin 255 " + err + "\nGS_END\n", "", 1, false);
    assertThatThrownBy(() -> KeyAudit.parseSshd(failed, List.of("admin")))
        .isInstanceOf(ListingException.class)
        .hasMessage(
            "sshd -T -C user=admin failed (exit 255): /etc/ssh/sshd_config line 9: Bad"
                + " configuration option");
    ExecResult missing = new ExecResult(0, "GS_SSHD=root 0 \nGS_END\n", "", 1, false);
    assertThatThrownBy(() -> KeyAudit.parseSshd(missing, List.of("root", "admin")))
        .hasMessage("sshd -T -C user=admin gave no answer");
  }

  @Test
  void keyLinesWithOptionsAndCommentsAreMatchedByKeyMaterial() {
    SshKeyPair own = SshKeyPair.generateEd25519("goldsmith-verifier");
    SshKeyPair declared = SshKeyPair.generateEd25519("ops@example");
    SshKeyPair planted = SshKeyPair.generateEd25519("eve");
    SshKeyPair build = SshKeyPair.generateEd25519("configurator@ci");
    AccessDeclaration access =
        new AccessDeclaration(
            Map.of("admin", List.of(declared.publicKey().line())),
            AccessDeclaration.NONE.sudoers(),
            List.of());
    AuthorizedKeysPolicy policy =
        new AuthorizedKeysPolicy(List.of(build.publicKey()), own.publicKey());
    String text =
        "# keys of admin\n\n"
            + "no-pty,command=\"/usr/bin/echo hi there\" "
            + declared.publicKey().line().replace("ops@example", "other comment")
            + "\n"
            + "  "
            + planted.publicKey().line()
            + "\n"
            + own.publicKey().line()
            + "\n"
            + build.publicKey().line()
            + "\n"
            + "ssh-xmss@openssh.com AAAAfuture\n";
    List<AccessResult> rows = new ArrayList<>();
    KeyAudit.lines(ADMIN, "/home/admin/.ssh/authorized_keys", text, access, policy, rows);
    assertThat(rows).hasSize(5).allMatch(r -> r.user().equals("admin"));
    assertThat(rows.get(0).ok()).isTrue();
    assertThat(rows.get(0).item())
        .contains(declared.publicKey().md5Fingerprint())
        .contains("'other comment'")
        .contains("[no-pty,command=\"/usr/bin/echo hi there\"]");
    assertThat(rows.get(1).ok()).isFalse();
    assertThat(rows.get(1).item())
        .isEqualTo(
            "ssh-ed25519 "
                + planted.publicKey().md5Fingerprint()
                + " 'eve' in /home/admin/.ssh/authorized_keys");
    assertThat(rows.get(1).detail()).isEqualTo("not declared for admin");
    assertThat(rows.get(2).ok()).as("the verifier's key is injected for root only").isFalse();
    assertThat(rows.get(2).detail()).contains("injects for root only");
    assertThat(rows.get(3).detail()).isEqualTo("not declared for admin (build/configurator key)");
    assertThat(rows.get(4).ok()).isFalse();
    assertThat(rows.get(4).item()).isEqualTo("line 7 of /home/admin/.ssh/authorized_keys");

    List<AccessResult> root = new ArrayList<>();
    KeyAudit.lines(
        new PasswdEntry("root", 0, 0, "/root", "/bin/bash"),
        "/root/.ssh/authorized_keys",
        own.publicKey().line() + "\n" + declared.publicKey().line() + "\n",
        access,
        policy,
        root);
    assertThat(root.get(0).ok()).isTrue();
    assertThat(root.get(0).detail()).startsWith("the verifier's own key");
    assertThat(root.get(1).ok()).as("declared for admin, not for root").isFalse();
  }

  @Test
  void sudoersLinesJoinContinuationsDropCommentsAndKeepDirectives() {
    String text =
        "# comment\n"
            + "Defaults\tenv_reset\n"
            + "Defaults:alice, bob !authenticate\n"
            + "User_Alias OPS = carol, dave\n"
            + "#1000 ALL=(ALL) ALL\n"
            + "#includedir /etc/sudoers.d\n"
            + "@include /etc/extra-sudoers\n"
            + "eve,  %wheel ALL = (ALL) \\\n"
            + "    NOPASSWD: ALL\n"
            + "%sudo\tALL=(ALL:ALL) ALL";
    List<String> lines = SudoersRules.lines(text);
    assertThat(lines)
        .containsExactly(
            "Defaults env_reset",
            "Defaults:alice, bob !authenticate",
            "User_Alias OPS = carol, dave",
            "#1000 ALL=(ALL) ALL",
            "#includedir /etc/sudoers.d",
            "@include /etc/extra-sudoers",
            "eve, %wheel ALL = (ALL) NOPASSWD: ALL",
            "%sudo ALL=(ALL:ALL) ALL");
    assertThat(lines.stream().map(SudoersRules::users).toList())
        .containsExactly(
            List.of("ALL"),
            List.of("alice", "bob"),
            List.of("alias OPS"),
            List.of("#1000"),
            List.of("ALL"),
            List.of("ALL"),
            List.of("eve", "%wheel"),
            List.of("%sudo"));
    assertThat(SudoersRules.groups(lines.get(6))).containsExactly("wheel");
    assertThat(SudoersRules.DEBIAN_DEFAULTS)
        .contains(lines.get(0), lines.get(4), lines.get(7))
        .doesNotContain(lines.get(5));
  }
}
