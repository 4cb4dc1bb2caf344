package dev.goldsmith.verifier.check;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import dev.goldsmith.events.BinaryCheck;
import dev.goldsmith.events.UserBinaries;
import dev.goldsmith.events.VerificationReport.BinaryResult;
import dev.goldsmith.verifier.LocalShell;

class MatrixCheckTest {

  private final MatrixCheck check = new MatrixCheck(Duration.ofSeconds(20), Duration.ofSeconds(5));
  private final LocalShell sh = new LocalShell();
  private final ImageCheck image = new ImageCheck(Duration.ofSeconds(20));

  @Test
  void fillsEachCellWithPathVersionExitAndDuration() throws Exception {
    List<UserBinaries> m =
        List.of(
            new UserBinaries(
                "nobody",
                List.of(
                    new BinaryCheck("ssh", List.of("-V"), List.of("/usr/bin")),
                    new BinaryCheck("gs-missing-tool", List.of("--version"), List.of("/usr/bin")),
                    new BinaryCheck("sh", List.of("-c", "exit 3"), List.of("/usr/bin", "/bin")),
                    new BinaryCheck("java", List.of("-version"), List.of("/opt/none")))),
            new UserBinaries(
                "gsnouser", List.of(new BinaryCheck("sh", List.of(), List.of("/usr/bin")))));
    Map<String, Optional<UserInfo>> users =
        Map.of("nobody", image.userInfo(sh, "nobody"), "gsnouser", image.userInfo(sh, "gsnouser"));
    List<BinaryResult> r = check.run(sh, m, users);
    assertThat(r).hasSize(5);

    BinaryResult keygen = r.get(0);
    assertThat(keygen.ok()).isTrue();
    assertThat(keygen.path()).isEqualTo("/usr/bin/ssh");
    assertThat(keygen.exitCode()).isZero();
    assertThat(keygen.versionLine()).contains("OpenSSH");
    assertThat(keygen.durationMs()).isPositive();

    assertThat(r.get(1).ok()).isFalse();
    assertThat(r.get(1).detail()).startsWith("not found on nobody's login PATH (");

    assertThat(r.get(2).ok()).isFalse();
    assertThat(r.get(2).exitCode()).isEqualTo(3);
    assertThat(r.get(2).detail()).contains("exited 3");

    assertThat(r.get(3).ok()).isFalse();
    assertThat(r.get(3).detail()).contains("outside allowed prefixes [/opt/none]");

    assertThat(r.get(4).user()).isEqualTo("gsnouser");
    assertThat(r.get(4).detail()).isEqualTo("user does not exist");
  }

  @Test
  void prefixesMatchWholeDirectories() {
    assertThat(MatrixCheck.withinPrefixes("/usr/bin/jq", List.of("/usr/bin"))).isTrue();
    assertThat(MatrixCheck.withinPrefixes("/usr/bin/jq", List.of("/usr/bin/"))).isTrue();
    assertThat(MatrixCheck.withinPrefixes("/usr/binx/jq", List.of("/usr/bin"))).isFalse();
    assertThat(MatrixCheck.withinPrefixes("/usr/bin/../../tmp/jq", List.of("/usr/bin"))).isFalse();
    assertThat(
            MatrixCheck.withinPrefixes("/usr/local/bin/x", List.of("/usr/bin", "/usr/local/bin")))
        .isTrue();
  }
}
