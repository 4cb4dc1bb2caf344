package dev.goldsmith.configurator.ansible;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.goldsmith.configurator.TestSpecs;

/**
 * The publish_binaries role's own defence, run by the real ansible-playbook on the controller
 * ({@code connection: local}) with variables written as the configurator writes them: a {@code src}
 * that is a controller path, uses {@code ..} or leaves {@code files/} through a link fails before
 * anything is copied, and Ansible's argument spec rejects wrong types and unknown keys.
 */
class PublishBinariesRoleTest {
  private static final String SRC_CHECK =
      "publish_binaries : Check that every src stays inside the role's files directory";

  @TempDir Path tmp;
  private Path roles;
  private Path dest;

  @BeforeEach
  void copyTheRole() throws Exception {
    // The role's owner is root (as on builders).
    assumeTrue("root".equals(System.getProperty("user.name")), "needs root");
    Path source = TestSpecs.ANSIBLE_DIR.resolve("roles/publish_binaries");
    roles = tmp.resolve("roles");
    try (Stream<Path> all = Files.walk(source)) {
      for (Path p : all.sorted(Comparator.naturalOrder()).toList()) {
        Path target = roles.resolve("publish_binaries").resolve(source.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else {
          Files.copy(p, target);
        }
      }
    }
    Files.createSymbolicLink(
        roles.resolve("publish_binaries/files/escape-link"), Path.of("/etc/shadow"));
    dest = tmp.resolve("bin");
  }

  @Test
  void aFileOfTheRoleIsInstalled() throws Exception {
    Run run = run(item("vault-preflight"));
    assertThat(run.exitCode()).as(run.log()).isZero();
    assertThat(dest.resolve("tool")).isRegularFile().isExecutable();
  }

  @Test
  void aControllerPathIsRefusedBeforeAnythingIsCopied() throws Exception {
    assertRefusedBySrcCheck(run(item("/etc/shadow")));
  }

  @Test
  void aDotDotPathIsRefused() throws Exception {
    assertRefusedBySrcCheck(run(item("../tasks/main.yml")));
  }

  @Test
  void aLinkOutOfFilesIsRefused() throws Exception {
    assertRefusedBySrcCheck(run(item("escape-link")));
  }

  @Test
  void theArgumentSpecRejectsUnknownKeysAndWrongTypes() throws Exception {
    Run run =
        run(
            Map.of(
                "publish_binaries_items",
                List.of(Map.of("name", "tool", "src", "vault-preflight", "owner", "nobody")),
                "publish_binaries_download_timeout",
                "soon"));
    assertThat(run.exitCode()).isNotZero();
    assertThat(run.log())
        .contains("Validation of arguments failed")
        .contains("owner")
        .contains("publish_binaries_download_timeout");
    assertThat(dest).doesNotExist();
  }

  private void assertRefusedBySrcCheck(Run run) {
    assertThat(run.exitCode()).as(run.log()).isNotZero();
    assertThat(run.log()).contains("TASK [" + SRC_CHECK + "]").contains("src must be a file");
    assertThat(dest).as("nothing was installed").doesNotExist();
    assertThat(run.log()).doesNotContain("root:").doesNotContain("$y$").doesNotContain("$6$");
  }

  private Map<String, Object> item(String src) {
    return Map.of("publish_binaries_items", List.of(Map.of("name", "tool", "src", src)));
  }

  private Run run(Map<String, Object> vars) throws Exception {
    Path playbook = tmp.resolve("publish.yml");
    Files.writeString(
        playbook,
        "- name: Publish\n  hosts: localhost\n  connection: local\n  gather_facts: false\n"
            + "  roles:\n    - role: publish_binaries\n");
    Path varsFile = tmp.resolve("extra-vars.yml");
    UnsafeExtraVars.write(varsFile, vars);
    Path own = tmp.resolve("dest.json");
    Files.writeString(own, "{\"publish_binaries_dest\": \"" + dest + "\"}");
    ProcessBuilder pb =
        new ProcessBuilder(
                "ansible-playbook",
                "-i",
                "localhost,",
                "--extra-vars",
                "@" + varsFile,
                "--extra-vars",
                "@" + own,
                playbook.toString())
            .redirectErrorStream(true);
    pb.environment().put("ANSIBLE_ROLES_PATH", roles.toString());
    pb.environment().put("ANSIBLE_NOCOLOR", "1");
    pb.environment().put("ANSIBLE_LOCAL_TEMP", tmp.resolve("ansible-tmp").toString());
    Process p = pb.start();
    String log = new String(p.getInputStream().readAllBytes());
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
    return new Run(p.exitValue(), log);
  }

  private record Run(int exitCode, String log) {}
}
