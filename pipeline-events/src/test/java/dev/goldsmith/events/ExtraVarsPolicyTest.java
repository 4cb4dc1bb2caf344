package dev.goldsmith.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class ExtraVarsPolicyTest {

  @Test
  void ordinaryRoleVariablesPass() {
    assertThat(
            ExtraVarsPolicy.problems(
                Map.of(
                    "runtime_baseline_extra_packages", List.of("htop"), "users_admin_name", "ops")))
        .isEmpty();
  }

  @Test
  void ansibleAndConnectionVariablesAreRefused() {
    assertThat(
            ExtraVarsPolicy.problems(
                Map.of(
                    "ansible_host", "10.0.0.1",
                    "ANSIBLE_ssh_common_args", "-o ProxyCommand=x",
                    "become_user", "root",
                    "hostvars", "x")))
        .hasSize(4)
        .allMatch(m -> m.contains("reserved Ansible variable"));
  }

  @Test
  void badNamesAndOversizedValuesAreRefused() {
    Map<String, Object> vars = new HashMap<>();
    vars.put("1bad", "x");
    vars.put("big", "x".repeat(5000));
    assertThat(ExtraVarsPolicy.problems(vars))
        .anyMatch(m -> m.startsWith("extraVars.1bad: not a valid variable name"))
        .anyMatch(m -> m.startsWith("extraVars.big: value is 5002 bytes"));
  }

  @Test
  void tooManyVariablesAreRefused() {
    Map<String, Object> vars = new HashMap<>();
    for (int i = 0; i < 51; i++) {
      vars.put("v" + i, i);
    }
    assertThat(ExtraVarsPolicy.problems(vars)).anyMatch(m -> m.contains("at most 50 variables"));
  }
}
