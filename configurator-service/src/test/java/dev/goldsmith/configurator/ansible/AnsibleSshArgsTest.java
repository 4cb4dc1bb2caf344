package dev.goldsmith.configurator.ansible;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.goldsmith.configurator.TestSpecs;

class AnsibleSshArgsTest {
  @TempDir Path dir;

  @Test
  void theTreesSshArgsAreReadAsAnsibleReadsThem() throws Exception {
    String args = AnsibleSshArgs.of(TestSpecs.ANSIBLE_DIR);
    assertThat(args)
        .startsWith("-C -o ControlMaster=auto -o ControlPersist=60s")
        .contains("-o ServerAliveInterval=15")
        .endsWith("-o PasswordAuthentication=no");
  }

  @Test
  void sectionsCommentsContinuationsAndSeparatorsAreHonoured() {
    assertThat(
            AnsibleSshArgs.parse(
                List.of(
                    "[defaults]",
                    "ssh_args = -o wrong=section",
                    "[ssh_connection]",
                    "# ssh_args = -o commented=out",
                    "pipelining = True",
                    "SSH_ARGS: -C -o A=1 ; inline comment",
                    "  -o B=2",
                    "",
                    "retries = 2")))
        .isEqualTo("-C -o A=1 -o B=2");
  }

  @Test
  void withoutSshArgsAnsiblesDefaultApplies() throws Exception {
    assertThat(AnsibleSshArgs.of(dir)).isEqualTo(AnsibleSshArgs.ANSIBLE_DEFAULT);
    assertThat(AnsibleSshArgs.parse(List.of("[ssh_connection]", "retries = 2")))
        .isEqualTo(AnsibleSshArgs.ANSIBLE_DEFAULT);
  }
}
