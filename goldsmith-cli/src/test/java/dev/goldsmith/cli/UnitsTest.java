package dev.goldsmith.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import picocli.CommandLine;

class UnitsTest {
  @Test
  void everyEndOfABuildHasItsDocumentedExitCode() {
    assertThat(ExitCode.forStatus("PROMOTED")).isEqualTo(0);
    assertThat(ExitCode.forStatus("REJECTED")).isEqualTo(3);
    assertThat(ExitCode.forStatus("DEFECTIVE")).isEqualTo(4);
    assertThat(ExitCode.forStatus("UNVERIFIED")).isEqualTo(5);
    assertThat(ExitCode.forStatus("FAILED")).isEqualTo(6);
    assertThat(ExitCode.forStatus("VERIFIED")).isEqualTo(8);
    assertThat(ExitCode.forStatus("CONFIGURED")).isEqualTo(-1);
    assertThat(ExitCode.forStatus(null)).isEqualTo(-1);
    String help = String.join("\n", ExitCode.HELP);
    for (String line :
        List.of(
            "0  done",
            "2  usage",
            "3  build rejected",
            "4  artifact defect",
            "5  unverified",
            "6  build failed",
            "7  registry or broker unreachable",
            "8  verified but not",
            "9  --watch timed out")) {
      assertThat(help).contains(line);
    }
    Run r = Run.of("--help");
    assertThat(r.code()).isZero();
    assertThat(r.out()).contains("Exit codes:", "4  artifact defect", "GOLDSMITH_REGISTRY_TOKEN");
  }

  @Test
  void problemLinesCarryTitleStatusDetailAndEveryFieldProblem() {
    assertThat(
            Registry.problemLine(
                400,
                """
                {"type":"https://goldsmith.dev/problems/invalid-request","title":"Invalid request",
                 "status":400,"detail":"the request has invalid\\nparameters",
                 "errors":[{"field":"reason","message":"is required"},{"field":"size","message":"must be from 1 to 100"}]}
                """))
        .isEqualTo(
            "Invalid request (400): the request has invalid parameters; reason: is required; size:"
                + " must be from 1 to 100");
    assertThat(Registry.problemLine(502, "<html>\n<body>Bad gateway</body></html>"))
        .isEqualTo("HTTP 502: <html> <body>Bad gateway</body></html>");
    assertThat(Registry.problemLine(500, "")).isEqualTo("HTTP 500");
  }

  @Test
  void varsAreStringsOrJsonAndBadOnesAreUsageErrors() {
    CommandLine cl = new CommandLine(new BuildCommand());
    Map<String, Object> vars =
        BuildCommand.parseVars(
            cl,
            List.of(
                "runtime_baseline_extra_packages:=[\"htop\"]",
                "note=a=b",
                "publish_binaries_items:=[{\"name\":\"x\",\"mode\":\"0700\"}]"));
    assertThat(vars)
        .containsExactly(
            Map.entry("runtime_baseline_extra_packages", List.of("htop")),
            Map.entry("note", "a=b"),
            Map.entry("publish_binaries_items", List.of(Map.of("name", "x", "mode", "0700"))));
    Run bad =
        Run.of(
            "build", "vault-base", "--var", "x:=[unclosed", "--bootstrap-servers", "127.0.0.1:9");
    assertThat(bad.code()).isEqualTo(ExitCode.USAGE);
    assertThat(bad.err()).startsWith("goldsmith: --var x:= is not valid JSON");
    Run mode =
        Run.of(
            "build", "vault-base", "--network-mode", "ipv5", "--bootstrap-servers", "127.0.0.1:9");
    assertThat(mode.code()).isEqualTo(ExitCode.USAGE);
    assertThat(mode.err()).contains("--network-mode: network mode must be one of ipv4, ipv6, auto");
    Run manifest =
        Run.of("build", "vault-base", "--manifest", "m.json", "--bootstrap-servers", "127.0.0.1:9");
    assertThat(manifest.code()).isEqualTo(ExitCode.USAGE);
    assertThat(manifest.err()).contains("--manifest needs --watch");
  }

  @Test
  void theRequestCarriesTheOverridesAndNoneWhenNothingIsOverridden() {
    BuildCommand c = new BuildCommand();
    CommandLine cl = new CommandLine(c);
    cl.parseArgs("vault-base", "--network-mode", "IPv6", "--var", "a=b", "--requested-by", "ci/42");
    var r = c.request(cl);
    assertThat(r.family()).isEqualTo("vault-base");
    assertThat(r.requestedBy()).isEqualTo("ci/42");
    assertThat(r.overrides().networkMode().wire()).isEqualTo("ipv6");
    assertThat(r.overrides().extraVars()).isEqualTo(Map.of("a", "b"));
    BuildCommand plain = new BuildCommand();
    CommandLine pl = new CommandLine(plain);
    pl.parseArgs("vault-base");
    assertThat(plain.request(pl).overrides()).isNull();
    assertThat(plain.request(pl).requestedBy()).startsWith("cli/");
  }

  @Test
  void durationsReadAsPeopleWriteThem() {
    BuildCommand.DurationConverter c = new BuildCommand.DurationConverter();
    assertThat(c.convert("90s")).isEqualTo(Duration.ofSeconds(90));
    assertThat(c.convert("30m")).isEqualTo(Duration.ofMinutes(30));
    assertThat(c.convert("PT2H")).isEqualTo(Duration.ofHours(2));
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> c.convert("soon"))
        .isInstanceOf(CommandLine.TypeConversionException.class);
  }

  @Test
  void tablesAlignColumnsAndTheMatrixHasOneColumnPerUser() {
    assertThat(
            Render.table(List.of("A", "LONGER"), List.of(List.of("xyz", "1"), List.of("q", "22"))))
        .isEqualTo("A    LONGER\nxyz  1\nq    22\n");
    String m =
        Render.matrix(
            json(
                """
                {"binaries":[
                  {"user":"root","binary":"jq","versionLine":"jq-1.6","ok":true,"durationMs":3},
                  {"user":"admin","binary":"jq","versionLine":"jq-1.6","ok":true,"durationMs":3},
                  {"user":"root","binary":"vault-preflight","versionLine":"vault-preflight 0.3.0 (goldsmith)","ok":true,"durationMs":3},
                  {"user":"admin","binary":"vault-preflight","ok":false,"exitCode":126,"detail":"permission denied","durationMs":3}],
                 "checks":[{"name":"sshd","ok":true},{"name":"leftovers","ok":false,"detail":"/root/.bash_history exists"}],
                 "summary":"admin cannot run vault-preflight"}
                """));
    assertThat(m.lines().toList())
        .containsExactly(
            "BINARY           root                      admin",
            "jq               ok jq-1.6                 ok jq-1.6",
            "vault-preflight  ok vault-preflight 0.3.0  FAIL permission denied",
            "failed image checks:",
            "CHECK      DETAIL",
            "leftovers  /root/.bash_history exists");
  }

  @Test
  void theProgressBarFillsTowardsTheStagesTypicalLengthAndNeverCompletes() {
    assertThat(Render.progressLine(30, "BUILDER_READY", 0))
        .contains("[........................] 0s");
    assertThat(Render.progressLine(60, "BUILDER_READY", 17))
        .contains("[############............] 17s");
    assertThat(Render.progressLine(600, "BUILDER_READY", 500))
        .contains("configuring (playbook)")
        .contains("[#######################.]");
  }

  static com.fasterxml.jackson.databind.JsonNode json(String s) {
    try {
      return Registry.JSON.readTree(s);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
