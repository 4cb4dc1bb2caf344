package dev.goldsmith.configurator.ansible;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;

class PlaybookCommandTest {
  private final PlaybookCommand command =
      new PlaybookCommand(
          "ansible-playbook",
          Path.of("/srv/ansible"),
          Path.of("/srv/ansible/golden-image.yml"),
          Path.of("/work/b1/inventory.yml"),
          List.of(Path.of("/work/b1/extra-vars.yml"), Path.of("/work/b1/goldsmith-vars.json")),
          Path.of("/work/.callback_plugins"),
          Path.of("/work/b1/events-1.jsonl"),
          Path.of("/tmp/goldsmith-cp/b1-1"),
          Path.of("/work/b1/tmp"));

  @Test
  void argumentListNamesInventoryVarsFilesAndPlaybookAsSeparateArguments() {
    assertThat(command.arguments())
        .containsExactly(
            "ansible-playbook",
            "--inventory",
            "/work/b1/inventory.yml",
            "--extra-vars",
            "@/work/b1/extra-vars.yml",
            "--extra-vars",
            "@/work/b1/goldsmith-vars.json",
            "/srv/ansible/golden-image.yml");
  }

  @Test
  void serviceVariablesComeAfterTheSpecsSoTheyWin() {
    List<String> args = command.arguments();
    assertThat(args.indexOf("@/work/b1/goldsmith-vars.json"))
        .isGreaterThan(args.indexOf("@/work/b1/extra-vars.yml"));
  }

  @Test
  void environmentSelectsConfigCallbackAndPerBuildDirectories() {
    assertThat(command.environment())
        .containsEntry("ANSIBLE_CONFIG", "/srv/ansible/ansible.cfg")
        .containsEntry("ANSIBLE_ROLES_PATH", "/srv/ansible/roles")
        .containsEntry("ANSIBLE_CALLBACKS_ENABLED", "goldsmith_events")
        .containsEntry("ANSIBLE_CALLBACK_PLUGINS", "/work/.callback_plugins")
        .containsEntry("GOLDSMITH_EVENTS_FILE", "/work/b1/events-1.jsonl")
        .containsEntry("ANSIBLE_SSH_CONTROL_PATH_DIR", "/tmp/goldsmith-cp/b1-1")
        .containsEntry("ANSIBLE_LOCAL_TEMP", "/work/b1/tmp");
  }

  @Test
  void noDiffSoFileContentsNeverReachTheLog() {
    assertThat(command.arguments()).doesNotContain("--diff", "-D");
    assertThat(command.environment()).containsEntry("ANSIBLE_DIFF_ALWAYS", "false");
  }

  @Test
  void noArgumentIsAShellInvocation() {
    assertThat(command.arguments()).doesNotContain("sh", "-c", "bash");
    assertThat(command.arguments().get(0)).isEqualTo("ansible-playbook");
  }
}
