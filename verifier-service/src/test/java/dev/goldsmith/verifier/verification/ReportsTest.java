package dev.goldsmith.verifier.verification;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

import dev.goldsmith.events.Verdict;
import dev.goldsmith.events.VerificationReport;
import dev.goldsmith.events.VerificationReport.AccessResult;
import dev.goldsmith.events.VerificationReport.BinaryResult;
import dev.goldsmith.events.VerificationReport.CheckResult;

class ReportsTest {

  private static BinaryResult ok(String user, String bin) {
    return new BinaryResult(user, bin, "/usr/bin/" + bin, bin + " 1.0", 0, 12, true, null);
  }

  @Test
  void passesOnlyWhenEveryCellAndCheckPassed() {
    List<BinaryResult> cells = List.of(ok("root", "jq"), ok("admin", "jq"));
    List<CheckResult> checks = List.of(new CheckResult("user admin", true, "uid 1000"));
    assertThat(Reports.verdictOf(cells, checks)).isEqualTo(Verdict.PASSED);
    assertThat(Reports.verdictOf(List.of(), checks))
        .as("an empty matrix proves nothing")
        .isEqualTo(Verdict.ARTIFACT_DEFECT);
    BinaryResult bad =
        new BinaryResult(
            "admin", "jq", null, null, null, 0, false, "not found on admin's login PATH");
    assertThat(Reports.verdictOf(List.of(ok("root", "jq"), bad), checks))
        .isEqualTo(Verdict.ARTIFACT_DEFECT);
    assertThat(
            Reports.verdictOf(cells, List.of(new CheckResult("leftovers", false, "present: /x"))))
        .isEqualTo(Verdict.ARTIFACT_DEFECT);
  }

  @Test
  void summaryNamesEachFailingUserBinaryAndCheck() {
    BinaryResult bad =
        new BinaryResult(
            "admin",
            "vault-preflight",
            null,
            null,
            null,
            0,
            false,
            "not found on admin's login PATH (/usr/bin:/bin)");
    List<CheckResult> checks =
        List.of(
            new CheckResult(
                "authorized_keys",
                false,
                "/root/.ssh/authorized_keys: ssh-ed25519 aa (build/configurator key)"));
    VerificationReport r =
        Reports.checked(
            List.of(ok("root", "vault-preflight"), bad), checks, "ipv4 10.0.0.2:22 reachable");
    assertThat(r.summary())
        .startsWith("artifact defect: ")
        .contains("admin/vault-preflight: not found on admin's login PATH")
        .contains("authorized_keys: /root/.ssh/authorized_keys")
        .doesNotContain("root/vault-preflight");
    assertThat(r.checks().get(0))
        .isEqualTo(new CheckResult("channel", true, "ipv4 10.0.0.2:22 reachable"));
  }

  @Test
  void renderShowsAnAlignedMatrixAndTheChecks() {
    VerificationReport r =
        Reports.checked(
            List.of(
                ok("root", "podman"),
                new BinaryResult(
                    "admin",
                    "jq",
                    "/usr/bin/jq",
                    "jq-1.6",
                    2,
                    7,
                    false,
                    "probe --version exited 2")),
            List.of(new CheckResult("sshd passwordauthentication", true, "no")),
            "ipv6 [fd00::1]:22 reachable");
    String text = Reports.render(Verdict.ARTIFACT_DEFECT, "ipv6", 1, r);
    assertThat(text)
        .contains("verdict=ARTIFACT_DEFECT family=ipv6 attempts=1")
        .containsPattern("(?m)^USER +BINARY +RESULT +EXIT +MS +PATH +VERSION / DETAIL$")
        .containsPattern("(?m)^root +podman +ok +0 +12 +/usr/bin/podman +podman 1\\.0$")
        .containsPattern(
            "(?m)^admin +jq +FAIL +2 +7 +/usr/bin/jq +probe --version exited 2 \\[jq-1\\.6\\]$")
        .containsPattern("(?m)^sshd passwordauthentication +ok +no$")
        .contains("summary: artifact defect: admin/jq: probe --version exited 2");
  }

  @Test
  void anUndeclaredAccessRowRejectsTheImageAndIsPrintedPerUser() {
    List<BinaryResult> cells = List.of(ok("root", "jq"));
    List<CheckResult> checks = List.of(new CheckResult("user admin", true, "uid 1000"));
    AccessResult ssh =
        new AccessResult("root", "listening", "tcp 0.0.0.0:22 (sshd)", true, "declared tcp/22");
    AccessResult key =
        new AccessResult(
            "admin",
            "authorized_key",
            "ssh-ed25519 aa:bb in /home/admin/.ssh/authorized_keys",
            false,
            "not declared for admin");
    assertThat(Reports.verdictOf(cells, checks, List.of(ssh))).isEqualTo(Verdict.PASSED);
    assertThat(Reports.verdictOf(cells, checks, List.of(ssh, key)))
        .isEqualTo(Verdict.ARTIFACT_DEFECT);
    VerificationReport r = Reports.checked(cells, checks, List.of(ssh, key), "ipv4 10.0.0.2:22");
    assertThat(r.access()).containsExactly(ssh, key);
    assertThat(Reports.render(Verdict.ARTIFACT_DEFECT, "ipv4", 1, r))
        .containsPattern("(?m)^USER +ACCESS +RESULT +ITEM +DETAIL$")
        .containsPattern(
            "(?m)^admin +authorized_key +UNDECLARED +ssh-ed25519 aa:bb in /home/admin/.ssh/authorized_keys +not declared for admin$")
        .containsPattern("(?m)^root +listening +ok +tcp 0.0.0.0:22 \\(sshd\\) +declared tcp/22$");
  }
}
