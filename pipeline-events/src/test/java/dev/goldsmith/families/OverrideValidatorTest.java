package dev.goldsmith.families;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.goldsmith.events.RepoFiles;

/** One test per class of hostile or wrong override; each names the exact message. */
class OverrideValidatorTest {
  private static final List<String> OVERRIDABLE =
      List.of(
          "publish_binaries_items",
          "publish_binaries_dest",
          "runtime_baseline_extra_packages",
          "runtime_baseline_cache_valid_time",
          "runtime_baseline_install_recommends",
          "ssh_hardening_options",
          "image_hygiene_extra_paths",
          "users_admin_name");

  private static Family family;
  private static OverrideValidator validator;

  @BeforeAll
  static void load() {
    RoleSpecs specs = RoleSpecs.load(RepoFiles.resolve("ansible/roles"));
    Family base = FamilyLoader.load(RepoFiles.resolve("ansible/families/vault-base.yml"), specs);
    family = withOverridable(base, OVERRIDABLE);
    validator = new OverrideValidator(specs);
  }

  @Test
  void declaredValuesOfTheRightTypesPass() {
    Map<String, Object> ok = new LinkedHashMap<>();
    ok.put(
        "publish_binaries_items",
        List.of(Map.of("name", "vault-preflight", "src", "vault-preflight", "mode", "0700")));
    ok.put("publish_binaries_dest", "/opt/bin");
    ok.put("runtime_baseline_extra_packages", List.of("htop"));
    ok.put("runtime_baseline_cache_valid_time", 60);
    ok.put("runtime_baseline_install_recommends", false);
    ok.put("ssh_hardening_options", Map.of("X11Forwarding", "no", "AllowTcpForwarding", false));
    ok.put("users_admin_name", "ops");
    assertThat(validator.problems(family, ok)).isEmpty();
    assertThat(validator.problems(family, null)).isEmpty();
  }

  @Test
  void aVariableTheFamilyDoesNotListIsRejectedEvenIfARoleHasIt() {
    assertThat(validator.problems(family, Map.of("image_hygiene_machine_id", false, "motd", "hi")))
        .containsExactlyInAnyOrder(
            "extraVars.image_hygiene_machine_id: not overridable in family 'vault-base'"
                + " (overridable: image_hygiene_extra_paths, publish_binaries_dest,"
                + " publish_binaries_items, runtime_baseline_cache_valid_time,"
                + " runtime_baseline_extra_packages, runtime_baseline_install_recommends,"
                + " ssh_hardening_options, users_admin_name)",
            "extraVars.motd: not overridable in family 'vault-base' (overridable:"
                + " image_hygiene_extra_paths, publish_binaries_dest, publish_binaries_items,"
                + " runtime_baseline_cache_valid_time, runtime_baseline_extra_packages,"
                + " runtime_baseline_install_recommends, ssh_hardening_options,"
                + " users_admin_name)");
    assertThat(validator.problems(withOverridable(family, List.of()), Map.of("motd", "hi")))
        .containsExactly(
            "extraVars.motd: not overridable in family 'vault-base' (it declares no overridable"
                + " variables)");
  }

  @Test
  void aTemplateInATopLevelStringIsRejected() {
    assertThat(validator.problems(family, Map.of("users_admin_name", "{{ lookup('pipe', 'id') }}")))
        .contains(
            "extraVars.users_admin_name: contains the template delimiter '{{'; request values"
                + " are data, never templates");
  }

  @Test
  void templatesInNestedValuesListElementsAndKeysAreRejected() {
    Map<String, Object> vars =
        Map.of(
            "publish_binaries_items",
            List.of(Map.of("name", "x", "url", "http://h/{{ 7*7 }}", "checksum", "sha256:00")),
            "runtime_baseline_extra_packages",
            List.of("htop", "{{ lookup('env','HCLOUD_TOKEN') }}"),
            "ssh_hardening_options",
            Map.of("{{ lookup('pipe','touch /tmp/x') }}", "no"));
    assertThat(validator.problems(family, vars))
        .containsExactlyInAnyOrder(
            "extraVars.publish_binaries_items[0].url: contains the template delimiter '{{';"
                + " request values are data, never templates",
            "extraVars.runtime_baseline_extra_packages[1]: contains the template delimiter '{{';"
                + " request values are data, never templates",
            "extraVars.ssh_hardening_options: key '{{ lookup('pipe','touch /tmp/x') }}' contains"
                + " the template delimiter '{{'; request values are data, never templates");
  }

  @Test
  void jinjaStatementsAndCommentsAreRejectedLikeExpressions() {
    assertThat(
            validator.problems(
                family,
                Map.of(
                    "runtime_baseline_extra_packages",
                    List.of("{% for x in range(9999999) %}{% endfor %}", "a{#b#}"))))
        .containsExactlyInAnyOrder(
            "extraVars.runtime_baseline_extra_packages[0]: contains the template delimiter '{%';"
                + " request values are data, never templates",
            "extraVars.runtime_baseline_extra_packages[1]: contains the template delimiter '{#';"
                + " request values are data, never templates");
  }

  @Test
  void templatesInAnUndeclaredVariableAreReportedToo() {
    assertThat(validator.problems(family, Map.of("motd", Map.of("k", List.of("{{ x }}")))))
        .contains(
            "extraVars.motd.k[0]: contains the template delimiter '{{'; request values are data,"
                + " never templates");
  }

  @Test
  void wrongTypesAreRejectedWithTheDeclaredType() {
    Map<String, Object> vars = new LinkedHashMap<>();
    vars.put("runtime_baseline_cache_valid_time", "3600");
    vars.put("runtime_baseline_install_recommends", "yes");
    vars.put("runtime_baseline_extra_packages", "htop");
    vars.put("ssh_hardening_options", List.of("PasswordAuthentication no"));
    vars.put("publish_binaries_items", List.of(Map.of("name", 7, "src", "vault-preflight")));
    vars.put("users_admin_name", null);
    assertThat(validator.problems(family, vars))
        .containsExactlyInAnyOrder(
            "extraVars.runtime_baseline_cache_valid_time: must be of type int (role"
                + " runtime_baseline's argument spec), got string",
            "extraVars.runtime_baseline_install_recommends: must be of type bool (role"
                + " runtime_baseline's argument spec), got string",
            "extraVars.runtime_baseline_extra_packages: must be of type list of str (role"
                + " runtime_baseline's argument spec), got string",
            "extraVars.ssh_hardening_options: must be of type dict (role ssh_hardening's argument"
                + " spec), got list",
            "extraVars.publish_binaries_items[0].name: must be of type str (role"
                + " publish_binaries's argument spec), got integer",
            "extraVars.users_admin_name: must be of type str (role users's argument spec), got"
                + " null");
  }

  @Test
  void listElementsAndSubOptionsAreCheckedUnknownKeysAndMissingRequiredOnesToo() {
    assertThat(
            validator.problems(
                family,
                Map.of(
                    "runtime_baseline_extra_packages",
                    List.of("htop", 3),
                    "publish_binaries_items",
                    List.of(Map.of("src", "vault-preflight", "owner", "nobody")))))
        .containsExactlyInAnyOrder(
            "extraVars.runtime_baseline_extra_packages[1]: must be of type str (role"
                + " runtime_baseline's argument spec), got integer",
            "extraVars.publish_binaries_items[0].owner: unknown key (allowed: checksum, dest,"
                + " dir_mode, mode, name, src, url)",
            "extraVars.publish_binaries_items[0].name: is required");
  }

  @Test
  void aPathWhereTheRoleExpectsAFileNameIsRejected() {
    assertThat(
            validator.problems(
                family,
                Map.of(
                    "users_admin_name",
                    "../root",
                    "publish_binaries_items",
                    List.of(Map.of("name", "/etc/cron.d/evil", "src", "vault-preflight")))))
        .containsExactlyInAnyOrder(
            "extraVars.users_admin_name: '../root' must be a file name, not a path (no '/')",
            "extraVars.publish_binaries_items[0].name: '/etc/cron.d/evil' must be a file name,"
                + " not a path (no '/')");
  }

  @Test
  void aRelativeOrDotDotPathWhereTheRoleExpectsAnAbsolutePathIsRejected() {
    assertThat(
            validator.problems(
                family,
                Map.of(
                    "publish_binaries_dest",
                    "usr/local/bin",
                    "image_hygiene_extra_paths",
                    List.of("/var/../etc"))))
        .containsExactlyInAnyOrder(
            "extraVars.publish_binaries_dest: 'usr/local/bin' must be an absolute path without"
                + " '..' on the builder",
            "extraVars.image_hygiene_extra_paths[0]: '/var/../etc' must be an absolute path"
                + " without '..' on the builder");
  }

  @Test
  void aControllerPathAsSrcIsRejected() {
    assertThat(problemsOfSrc("/etc/shadow"))
        .containsExactly(
            "extraVars.publish_binaries_items[0].src: '/etc/shadow' must be a file of role"
                + " publish_binaries's files/ directory, relative to it, not a controller path");
  }

  @Test
  void aDotDotSrcIsRejected() {
    assertThat(problemsOfSrc("../../../../etc/shadow"))
        .containsExactly(
            "extraVars.publish_binaries_items[0].src: '../../../../etc/shadow' must be a file of"
                + " role publish_binaries's files/ directory without '..'");
    assertThat(problemsOfSrc("sub/../../tasks/main.yml")).hasSize(1);
  }

  @Test
  void aSrcThatIsNoFileOfTheRoleIsRejected() {
    assertThat(problemsOfSrc("no-such-binary"))
        .containsExactly(
            "extraVars.publish_binaries_items[0].src: 'no-such-binary' is not a file of role"
                + " publish_binaries's files/ directory");
  }

  @Test
  void aSrcLeavingFilesThroughASymbolicLinkIsRejected(@TempDir Path tmp) throws Exception {
    Path roles = tmp.resolve("roles");
    Path role = roles.resolve("publish_binaries");
    Files.createDirectories(role.resolve("meta"));
    Files.copy(
        RepoFiles.resolve("ansible/roles/publish_binaries/meta/argument_specs.yml"),
        role.resolve("meta/argument_specs.yml"));
    Path files = Files.createDirectories(role.resolve("files"));
    Files.writeString(files.resolve("tool"), "#!/bin/sh\n");
    Files.createSymbolicLink(files.resolve("inside-link"), files.resolve("tool"));
    Files.createSymbolicLink(files.resolve("evil-link"), Path.of("/etc/passwd"));
    Files.createSymbolicLink(files.resolve("evil-dir"), Path.of("/etc"));
    OverrideValidator v = new OverrideValidator(RoleSpecs.load(roles));

    assertThat(v.problems(family, items("inside-link"))).isEmpty();
    assertThat(v.problems(family, items("evil-link")))
        .containsExactly(
            "extraVars.publish_binaries_items[0].src: 'evil-link' leaves role publish_binaries's"
                + " files/ directory through a link");
    assertThat(v.problems(family, items("evil-dir/passwd")))
        .containsExactly(
            "extraVars.publish_binaries_items[0].src: 'evil-dir/passwd' leaves role"
                + " publish_binaries's files/ directory through a link");
  }

  @Test
  void everyProblemOfARequestIsReportedAtOnce() {
    Map<String, Object> vars = new LinkedHashMap<>();
    vars.put("motd", "hi");
    vars.put("runtime_baseline_cache_valid_time", true);
    vars.put("users_admin_name", "{{ x }}/y");
    vars.put("publish_binaries_items", List.of(Map.of("name", "x", "src", "/etc/shadow")));
    assertThat(validator.problems(family, vars)).hasSize(5);
  }

  private static List<String> problemsOfSrc(String src) {
    return validator.problems(family, items(src));
  }

  private static Map<String, Object> items(String src) {
    return Map.of("publish_binaries_items", List.of(Map.of("name", "tool", "src", src)));
  }

  private static Family withOverridable(Family f, List<String> overridable) {
    return new Family(
        f.name(),
        f.description(),
        f.baseImage(),
        f.serverType(),
        f.location(),
        f.playbook(),
        f.networkMode(),
        f.keepPrevious(),
        f.extraVars(),
        f.verification(),
        overridable);
  }
}
