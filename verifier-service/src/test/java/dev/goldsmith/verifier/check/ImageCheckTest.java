package dev.goldsmith.verifier.check;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import dev.goldsmith.events.ExpectedUser;
import dev.goldsmith.events.VerificationReport.CheckResult;
import dev.goldsmith.support.ssh.SshKeyPair;
import dev.goldsmith.verifier.ssh.ExecResult;

class ImageCheckTest {

  private static ExecResult out(String stdout) {
    return new ExecResult(0, stdout, "", 5, false);
  }

  @Test
  void expectedUserMatchesShellGroupsSystemUidAndHome() {
    ExpectedUser admin = new ExpectedUser("admin", "/bin/bash", List.of("sudo"), false, true);
    UserInfo good =
        new UserInfo("admin", 1000, "/home/admin", "/bin/bash", List.of("admin", "sudo"), true);
    assertThat(ImageCheck.user(admin, Optional.of(good)).ok()).isTrue();

    UserInfo bad = new UserInfo("admin", 1000, "/home/admin", "/bin/sh", List.of("admin"), false);
    CheckResult r = ImageCheck.user(admin, Optional.of(bad));
    assertThat(r.ok()).isFalse();
    assertThat(r.detail())
        .contains("shell /bin/sh, expected /bin/bash")
        .contains("not in [sudo]")
        .contains("home /home/admin does not exist");

    ExpectedUser vault = new ExpectedUser("vault", "/usr/sbin/nologin", List.of(), true, false);
    UserInfo v =
        new UserInfo("vault", 1001, "/home/vault", "/usr/sbin/nologin", List.of("vault"), false);
    assertThat(ImageCheck.user(vault, Optional.of(v)).detail()).contains("not a system uid");
    assertThat(ImageCheck.user(vault, Optional.empty()).detail()).isEqualTo("missing");
  }

  @Test
  void sshdValuesAreComparedCaseInsensitively() {
    Map<String, String> want = new LinkedHashMap<>();
    want.put("passwordauthentication", "no");
    want.put("PermitRootLogin", "without-password");
    want.put("x11forwarding", "no");
    List<CheckResult> r =
        ImageCheck.sshd(
            want, out("port 22\npasswordauthentication yes\npermitrootlogin without-password\n"));
    assertThat(r)
        .extracting(CheckResult::name)
        .containsExactly(
            "sshd passwordauthentication", "sshd permitrootlogin", "sshd x11forwarding");
    assertThat(r.get(0).ok()).isFalse();
    assertThat(r.get(0).detail()).isEqualTo("yes, expected no");
    assertThat(r.get(1).ok()).isTrue();
    assertThat(r.get(2).ok()).isFalse();
    assertThat(r.get(2).detail()).contains("not in sshd -T output");
  }

  @Test
  void failingSshdDashTIsOneFailedCheck() {
    List<CheckResult> r =
        ImageCheck.sshd(
            Map.of("a", "b"), new ExecResult(255, "", "sshd: no hostkeys available", 3, false));
    assertThat(r)
        .singleElement()
        .satisfies(
            c -> {
              assertThat(c.ok()).isFalse();
              assertThat(c.detail()).contains("exit 255").contains("no hostkeys");
            });
  }

  @Test
  void leftoversNamePresentPaths() {
    assertThat(ImageCheck.leftovers(List.of("/a", "/b"), out("")).ok()).isTrue();
    CheckResult r = ImageCheck.leftovers(List.of("/a", "/b"), out("GS_PRESENT=/b\n"));
    assertThat(r.ok()).isFalse();
    assertThat(r.detail()).isEqualTo("present: /b");
  }

  @Test
  void authorizedKeysPolicyFlagsBuildAndGoldsmithKeysButNotOwn() {
    SshKeyPair own = SshKeyPair.generateEd25519("goldsmith-verifier");
    SshKeyPair configurator = SshKeyPair.generateEd25519("whatever");
    SshKeyPair stray = SshKeyPair.generateEd25519("goldsmith-provisioner");
    SshKeyPair user = SshKeyPair.generateEd25519("alice@laptop");
    AuthorizedKeysPolicy policy =
        new AuthorizedKeysPolicy(List.of(configurator.publicKey()), own.publicKey());
    String files =
        "GS_FILE=/root/.ssh/authorized_keys\n"
            + own.publicKey().line()
            + "\n"
            + configurator.publicKey().keyOnly()
            + " renamed\n\n"
            + "GS_FILE=/home/admin/.ssh/authorized_keys\n"
            + "# comment\n"
            + user.publicKey().line()
            + "\n"
            + stray.publicKey().line()
            + "\n";
    List<AuthorizedKeysPolicy.Entry> entries = AuthorizedKeysPolicy.parseFiles(files);
    assertThat(entries).hasSize(4);
    CheckResult r = policy.check(entries);
    assertThat(r.ok()).isFalse();
    assertThat(r.detail())
        .contains(
            "/root/.ssh/authorized_keys: ssh-ed25519 " + configurator.publicKey().md5Fingerprint())
        .contains("build/configurator key")
        .contains("/home/admin/.ssh/authorized_keys")
        .contains("goldsmith key by comment")
        .doesNotContain(own.publicKey().md5Fingerprint())
        .doesNotContain(user.publicKey().md5Fingerprint());

    CheckResult clean =
        policy.check(
            AuthorizedKeysPolicy.parseFiles(
                "GS_FILE=/root/.ssh/authorized_keys\n" + own.publicKey().line() + "\n"));
    assertThat(clean.ok()).isTrue();
    assertThat(clean.detail()).startsWith("1 keys in 1 files");
  }
}
