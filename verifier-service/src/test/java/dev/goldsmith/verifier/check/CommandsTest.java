package dev.goldsmith.verifier.check;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.goldsmith.verifier.LocalShell;
import dev.goldsmith.verifier.ssh.ExecResult;

/**
 * Runs the built commands in a real shell on this machine, as root, read-only. Login shells run as
 * {@code nobody} (nologin shell, so the {@code -s /bin/bash} path): root's own profile on a
 * developer machine is not under test here.
 */
class CommandsTest {

  private final LocalShell sh = new LocalShell();
  private static final Duration T = Duration.ofSeconds(20);

  @Test
  void quotingSurvivesEveryShellMetacharacter() throws Exception {
    String nasty = "it's \"$HOME\" `id` $(id) ; | & \\ *";
    ExecResult r = sh.exec("printf '%s' " + Commands.quote(nasty), T);
    assertThat(r.stdout()).isEqualTo(nasty);
  }

  @Test
  void loginShellDecisionFollowsTheUsersShell() {
    assertThat(Commands.isLoginShell("/bin/bash")).isTrue();
    assertThat(Commands.isLoginShell("/usr/sbin/nologin")).isFalse();
    assertThat(Commands.isLoginShell("/bin/false")).isFalse();
    assertThat(Commands.asLoginUser("admin", "/bin/bash", "true"))
        .isEqualTo("runuser -l 'admin' -c 'true'");
    assertThat(Commands.asLoginUser("vault", "/usr/sbin/nologin", "true"))
        .isEqualTo("runuser -l 'vault' -s /bin/bash -c 'true'");
  }

  @Test
  void resolveFindsAFileOnRootsLoginPath() throws Exception {
    ExecResult r = sh.exec(Commands.resolve("nobody", "/usr/sbin/nologin", "sh"), T);
    assertThat(r.marker("GS_RESOLVED")).endsWith("/sh").startsWith("/");
    assertThat(r.marker("GS_EXEC")).isEqualTo("yes");
    assertThat(r.marker("GS_PATH_ENV")).contains("/bin");
  }

  @Test
  void resolveReportsAMissingBinaryAsEmpty() throws Exception {
    ExecResult r =
        sh.exec(Commands.resolve("nobody", "/usr/sbin/nologin", "gs-no-such-tool-42"), T);
    assertThat(r.marker("GS_RESOLVED")).isEmpty();
    assertThat(r.marker("GS_EXEC")).isEqualTo("no");
  }

  @Test
  void resolveOfABuiltinIsNotAFile() throws Exception {
    ExecResult r = sh.exec(Commands.resolve("nobody", "/usr/sbin/nologin", "cd"), T);
    assertThat(r.marker("GS_RESOLVED")).isEqualTo("cd");
    assertThat(r.marker("GS_EXEC")).isEqualTo("no");
  }

  @Test
  void probePassesArgumentsVerbatimAndReportsTheExitCode() throws Exception {
    ExecResult r =
        sh.exec(
            Commands.probe(
                "root", "/bin/bash", "/usr/bin/printf", List.of("%s|", "a b", "it's"), T),
            T);
    assertThat(r.exitCode()).isZero();
    assertThat(r.stdout()).isEqualTo("a b|it's|");
    ExecResult who =
        sh.exec(Commands.probe("nobody", "/usr/sbin/nologin", "/usr/bin/id", List.of("-un"), T), T);
    assertThat(who.stdout().strip()).as("the probe runs as the user").isEqualTo("nobody");
    ExecResult f =
        sh.exec(Commands.probe("nobody", "/usr/sbin/nologin", "/bin/false", List.of(), T), T);
    assertThat(f.exitCode()).isEqualTo(1);
  }

  @Test
  void probeIsKilledByItsTimeout() throws Exception {
    ExecResult r =
        sh.exec(
            Commands.probe(
                "nobody", "/usr/sbin/nologin", "/bin/sleep", List.of("30"), Duration.ofSeconds(1)),
            T);
    assertThat(r.exitCode()).isEqualTo(124);
  }

  @Test
  void userInfoReadsPasswdGroupsAndHome() throws Exception {
    UserInfo root = UserInfo.parse("root", sh.exec(Commands.userInfo("root"), T)).orElseThrow();
    assertThat(root.uid()).isZero();
    assertThat(root.home()).isEqualTo("/root");
    assertThat(root.groups()).contains("root");
    assertThat(root.homeExists()).isTrue();
    assertThat(UserInfo.parse("gsnouser", sh.exec(Commands.userInfo("gsnouser"), T))).isEmpty();
  }

  @Test
  void forbiddenPathsListsOnlyExistingOnes() throws Exception {
    ExecResult r = sh.exec(Commands.forbiddenPaths(List.of("/etc/passwd", "/gs/none", "/tmp")), T);
    assertThat(r.stdout())
        .contains("GS_PRESENT=/etc/passwd")
        .contains("GS_PRESENT=/tmp")
        .doesNotContain("/gs/none");
    assertThat(Commands.forbiddenPaths(List.of())).isEqualTo("true");
  }
}
