package dev.goldsmith.families;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;

import dev.goldsmith.events.AccessDeclaration;
import dev.goldsmith.events.AccessDeclaration.Listening;
import dev.goldsmith.events.BuildOverrides;
import dev.goldsmith.events.BuildSpec;
import dev.goldsmith.events.EventCodec;
import dev.goldsmith.events.RepoFiles;

class AccessDeclarationsTest {

  private static final String KEY =
      "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBvkV4Fiq4lFFuX3wm3r3XjXq2cZ4nM0dC3Rr9yq3x8Y ops@example";

  private static String family(String access) {
    return """
        name: acc
        base_image: debian-12
        location: fsn1
        playbook: golden-image.yml
        verification:
          binaries:
            jq: {probe: [--version], allowed_prefixes: [/usr/bin]}
          users:
            root: [jq]
          image:
        """
        + access.indent(4);
  }

  @Test
  void vaultBaseDeclaresNoBakedKeysSudoForAdminAndSshOnly() {
    Family f = FamilyLoader.loadDirectory(RepoFiles.resolve("ansible/families")).get("vault-base");
    AccessDeclaration a = f.verification().image().access();
    assertThat(a.authorizedKeys()).containsOnlyKeys("root", "admin");
    assertThat(a.authorizedKeys().values()).allMatch(List::isEmpty);
    assertThat(a.sudoers().groups()).containsOnlyKeys("sudo");
    assertThat(a.sudoers().groups().get("sudo")).containsExactly("admin");
    assertThat(a.sudoers().files()).containsExactly("README");
    assertThat(a.sudoers().rules()).isEmpty();
    assertThat(a.listening()).containsExactly(new Listening("tcp", 22));
  }

  @Test
  void theDeclarationFlowsIntoTheResolvedSpec() {
    Family f =
        FamilyLoader.parse(
            "acc.yml",
            family(
                """
                access:
                  authorized_keys: {admin: ["%s"]}
                  sudoers: {groups: {wheel: [admin]}, files: [admin], rules: ["admin ALL=(ALL) ALL"]}
                  listening: [{proto: udp, port: 53}]
                """
                    .formatted(KEY)),
            "acc");
    BuildSpec spec = FamilyResolver.resolve(f, BuildOverrides.NONE, "20261125-v1");
    assertThat(EventCodec.violations(spec)).isEmpty();
    BuildSpec back = EventCodec.fromJson(EventCodec.toJson(spec), BuildSpec.class);
    AccessDeclaration a = back.verification().image().access();
    assertThat(a.authorizedKeys().get("admin")).containsExactly(KEY);
    assertThat(a.sudoers().groups().get("wheel")).containsExactly("admin");
    assertThat(a.sudoers().files()).containsExactly("admin");
    assertThat(a.sudoers().rules()).containsExactly("admin ALL=(ALL) ALL");
    assertThat(a.listening()).containsExactly(new Listening("udp", 53));
  }

  @Test
  void noDeclarationAllowsNothing() {
    Family f = FamilyLoader.parse("acc.yml", family("forbidden_paths: []\n"), "acc");
    assertThat(f.verification().image().access()).isEqualTo(AccessDeclaration.NONE);
  }

  @Test
  void everyProblemOfTheAccessBlockIsReportedWithItsPath() {
    String yaml =
        family(
            """
            access:
              authorized_keys:
                Admin: ["%1$s"]
                root: ["no-pty %1$s", "ssh-ed25519 !!notbase64", "%1$s", "%1$s"]
                ops: "%1$s"
              sudoers:
                groups: {sudo: [admin, "Bad User"]}
                files: [../passwd, ok-file]
                rules: ["# a comment"]
                extra: 1
              listening:
                - {proto: tcp, port: 22}
                - {proto: sctp, port: 22}
                - {proto: tcp, port: 70000}
                - {proto: tcp, port: 22}
                - {proto: tcp, port: 23, address: 0.0.0.0}
                - tcp/80
              colour: red
            """
                .formatted(KEY));
    assertThatThrownBy(() -> FamilyLoader.parse("acc.yml", yaml, "acc"))
        .isInstanceOfSatisfying(
            FamilyException.class,
            e ->
                assertThat(e.errors())
                    .containsExactlyInAnyOrder(
                        "acc.yml: verification.image.access.colour: unknown key (allowed:"
                            + " authorized_keys, listening, sudoers)",
                        "acc.yml: verification.image.access.authorized_keys.Admin: 'Admin' is not"
                            + " a user name",
                        "acc.yml: verification.image.access.authorized_keys.root[0]: must be an"
                            + " OpenSSH public key 'type base64 [comment]' without options (type"
                            + " one of ssh-ed25519, ssh-rsa, ecdsa-sha2-nistp256/384/521,"
                            + " sk-…@openssh.com)",
                        "acc.yml: verification.image.access.authorized_keys.root[1]: must be an"
                            + " OpenSSH public key 'type base64 [comment]' without options (type"
                            + " one of ssh-ed25519, ssh-rsa, ecdsa-sha2-nistp256/384/521,"
                            + " sk-…@openssh.com)",
                        "acc.yml: verification.image.access.authorized_keys.root[3]: the same key"
                            + " is declared twice",
                        "acc.yml: verification.image.access.authorized_keys.ops: must be a list of"
                            + " strings",
                        "acc.yml: verification.image.access.sudoers.extra: unknown key (allowed:"
                            + " files, groups, rules)",
                        "acc.yml: verification.image.access.sudoers.groups.sudo[1]: 'Bad User' is"
                            + " not a user name",
                        "acc.yml: verification.image.access.sudoers.files[0]: '../passwd' must be"
                            + " a file name in /etc/sudoers.d (no path)",
                        "acc.yml: verification.image.access.sudoers.rules[0]: must be a sudoers"
                            + " line, not empty or a comment",
                        "acc.yml: verification.image.access.listening[1].proto: must be tcp or"
                            + " udp",
                        "acc.yml: verification.image.access.listening[2].port: must be an integer"
                            + " from 1 to 65535",
                        "acc.yml: verification.image.access.listening[3]: tcp/22 is declared"
                            + " twice",
                        "acc.yml: verification.image.access.listening[4].address: unknown key"
                            + " (allowed: port, proto)",
                        "acc.yml: verification.image.access.listening[5]: must be a mapping"
                            + " {proto: tcp|udp, port: 1-65535}"));
  }

  @Test
  void anAccessBlockOfTheWrongShapeIsOneError() {
    assertThatThrownBy(() -> FamilyLoader.parse("acc.yml", family("access: [everything]\n"), "acc"))
        .hasMessage(
            "acc.yml: verification.image.access: must be a mapping with authorized_keys, sudoers"
                + " and listening");
  }
}
