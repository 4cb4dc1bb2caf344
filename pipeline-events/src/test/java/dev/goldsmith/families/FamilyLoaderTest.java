package dev.goldsmith.families;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.goldsmith.events.BinaryCheck;
import dev.goldsmith.events.BuildOverrides;
import dev.goldsmith.events.BuildSpec;
import dev.goldsmith.events.EventCodec;
import dev.goldsmith.events.NetworkMode;
import dev.goldsmith.events.RepoFiles;
import dev.goldsmith.events.UserBinaries;

class FamilyLoaderTest {

  @Test
  void vaultBaseDeclaresTheSeedsImage() {
    Map<String, Family> families =
        FamilyLoader.loadDirectory(RepoFiles.resolve("ansible/families"));
    Family f = families.get("vault-base");
    assertThat(f).isNotNull();
    assertThat(f.baseImage()).isEqualTo("debian-12");
    assertThat(f.serverType()).isEqualTo("cx23");
    assertThat(f.playbook()).isEqualTo("golden-image.yml");
    assertThat(f.networkMode()).isEqualTo(NetworkMode.IPV4);
    assertThat(f.verification().users())
        .extracting(UserBinaries::user)
        .containsExactly("root", "admin");
    for (UserBinaries u : f.verification().users()) {
      assertThat(u.binaries())
          .extracting(BinaryCheck::name)
          .containsExactly("podman", "python3", "curl", "jq", "vault-preflight");
    }
    assertThat(f.verification().users().get(0).binaries().get(4).allowedPrefixes())
        .containsExactly("/usr/local/bin");
    assertThat(f.verification().image().users())
        .anySatisfy(
            u -> {
              assertThat(u.name()).isEqualTo("vault");
              assertThat(u.shell()).isEqualTo("/usr/sbin/nologin");
              assertThat(u.system()).isTrue();
            })
        .anySatisfy(
            u -> {
              assertThat(u.name()).isEqualTo("admin");
              assertThat(u.groups()).contains("sudo");
            });
    assertThat(f.verification().image().sshd()).containsEntry("passwordauthentication", "no");
  }

  @Test
  void resolvedSpecAppliesOverridesAndIsAValidContract() {
    Family f = FamilyLoader.loadDirectory(RepoFiles.resolve("ansible/families")).get("vault-base");
    BuildSpec spec =
        FamilyResolver.resolve(
            f,
            new BuildOverrides(null, null, "cx33", null, NetworkMode.IPV6, Map.of("x_flag", true)),
            "20261125-v3");
    assertThat(spec.serverType()).isEqualTo("cx33");
    assertThat(spec.location()).isEqualTo("fsn1");
    assertThat(spec.networkMode()).isEqualTo(NetworkMode.IPV6);
    assertThat(spec.extraVars()).containsEntry("x_flag", true);
    assertThat(EventCodec.violations(spec)).isEmpty();
  }

  @Test
  void aBrokenFamilyListsEveryProblemWithItsPath() {
    String yaml =
        """
        name: Vault_Base
        base_image: debian-12
        playbook: ../../etc/passwd
        network_mode: ipv5
        keep_previous: -1
        colour: blue
        extra_vars:
          ansible_user: root
        overridable: [ansible_host, not-a-name]
        verification:
          binaries:
            jq:
              probe: [--version]
              allowed_prefixes: [usr/bin]
              flavour: sweet
          users:
            admin: [jq, podman]
          image:
            users:
              - {name: vault, shell: nologin, system: maybe}
            sshd:
              PasswordAuthentication: "no"
        """;
    assertThatThrownBy(() -> FamilyLoader.parse("broken.yml", yaml, "broken"))
        .isInstanceOfSatisfying(
            FamilyException.class,
            e ->
                assertThat(e.errors())
                    .containsExactlyInAnyOrder(
                        "broken.yml: colour: unknown key (allowed: base_image, description,"
                            + " extra_vars, keep_previous, location, name, network_mode,"
                            + " overridable, playbook, server_type, verification)",
                        "broken.yml: name: 'Vault_Base' must match ^[a-z][a-z0-9-]{0,38}[a-z0-9]$",
                        "broken.yml: name: 'Vault_Base' differs from the file name 'broken.yml'",
                        "broken.yml: location: is required",
                        "broken.yml: playbook: '../../etc/passwd' must be a .yml file inside the"
                            + " ansible/ tree",
                        "broken.yml: network_mode: network mode must be one of ipv4, ipv6, auto"
                            + " (was 'ipv5')",
                        "broken.yml: keep_previous: must be an integer from 0 to 10",
                        "broken.yml: extraVars.ansible_user: reserved Ansible variable; connection"
                            + " and magic variables cannot be set",
                        "broken.yml: overridable[0]: 'ansible_host' is not a role variable name",
                        "broken.yml: overridable[1]: 'not-a-name' is not a role variable name",
                        "broken.yml: verification.binaries.jq.flavour: unknown key (allowed:"
                            + " allowed_prefixes, probe)",
                        "broken.yml: verification.binaries.jq.allowed_prefixes: 'usr/bin' must be"
                            + " an absolute path",
                        "broken.yml: verification.users.admin[1]: binary 'podman' is not defined in"
                            + " verification.binaries",
                        "broken.yml: verification.image.users[0].shell: 'nologin' must be an"
                            + " absolute path",
                        "broken.yml: verification.image.users[0].system: must be true or false",
                        "broken.yml: verification.image.sshd.PasswordAuthentication: keys are"
                            + " lower-case as sshd -T prints them"));
  }

  @Test
  void missingVerificationAndBadYamlAreReported() {
    assertThatThrownBy(
            () ->
                FamilyLoader.parse(
                    "x.yml", "name: x1\nbase_image: d\nlocation: fsn1\nplaybook: p.yml\n", null))
        .hasMessage(
            "x.yml: verification: is required and must be a mapping with binaries, users and"
                + " image");
    assertThatThrownBy(() -> FamilyLoader.parse("y.yml", "name: [unclosed", null))
        .isInstanceOf(FamilyException.class)
        .hasMessageStartingWith("y.yml: not valid YAML");
    assertThatThrownBy(() -> FamilyLoader.parse("z.yml", "- a\n- b\n", null))
        .hasMessage("z.yml: must be a mapping");
  }

  @Test
  void aDirectoryWithOneBadFileReportsThatFile() throws Exception {
    var dir = java.nio.file.Files.createTempDirectory("families");
    java.nio.file.Files.writeString(
        dir.resolve("ok-one.yml"),
        java.nio.file.Files.readString(RepoFiles.resolve("ansible/families/vault-base.yml"))
            .replace("name: vault-base", "name: ok-one"));
    java.nio.file.Files.writeString(dir.resolve("bad.yml"), "name: bad\n");
    assertThatThrownBy(
            () ->
                FamilyLoader.loadDirectory(dir, RoleSpecs.load(RepoFiles.resolve("ansible/roles"))))
        .isInstanceOfSatisfying(
            FamilyException.class,
            e -> assertThat(e.errors()).allMatch(m -> m.startsWith("bad.yml: ")).hasSize(4));
    assertThat(List.of(dir.toFile().listFiles())).hasSize(2);
  }

  @Test
  void vaultBaseListsItsOverridableVariablesAndEachIsARoleInput() {
    Family f = FamilyLoader.loadDirectory(RepoFiles.resolve("ansible/families")).get("vault-base");
    assertThat(f.overridable())
        .containsExactly(
            "runtime_baseline_extra_packages",
            "publish_binaries_items",
            "image_hygiene_extra_paths");
  }

  @Test
  void anOverridableVariableNoRoleDeclaresFailsTheFamily() throws Exception {
    // A fresh parent, so that no "roles" directory lies next to the families.
    var dir = java.nio.file.Files.createTempDirectory("families").resolve("families");
    java.nio.file.Files.createDirectory(dir);
    java.nio.file.Files.writeString(
        dir.resolve("odd.yml"),
        java.nio.file.Files.readString(RepoFiles.resolve("ansible/families/vault-base.yml"))
            .replace("name: vault-base", "name: odd")
            .replace("  - image_hygiene_extra_paths", "  - image_hygiene_extra_paths\n  - motd"));
    RoleSpecs roles = RoleSpecs.load(RepoFiles.resolve("ansible/roles"));
    assertThatThrownBy(() -> FamilyLoader.loadDirectory(dir, roles))
        .isInstanceOfSatisfying(
            FamilyException.class,
            e ->
                assertThat(e.errors())
                    .containsExactly(
                        "odd.yml: overridable[3]: 'motd' is not declared in any role's"
                            + " meta/argument_specs.yml under "
                            + roles.rolesDir()));
    // Without a roles directory next to the families, nothing is declared.
    assertThatThrownBy(() -> FamilyLoader.loadDirectory(dir))
        .isInstanceOfSatisfying(FamilyException.class, e -> assertThat(e.errors()).hasSize(4));
  }
}
