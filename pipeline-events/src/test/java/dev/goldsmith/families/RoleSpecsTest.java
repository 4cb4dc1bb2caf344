package dev.goldsmith.families;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.goldsmith.events.RepoFiles;
import dev.goldsmith.families.OptionSpec.Kind;
import dev.goldsmith.families.OptionSpec.Type;

class RoleSpecsTest {

  @Test
  void everyRoleOfTheRepositoryDeclaresEveryDefaultWithAType() throws Exception {
    Path roles = RepoFiles.resolve("ansible/roles");
    RoleSpecs specs = RoleSpecs.load(roles);
    try (var dirs = Files.list(roles)) {
      for (Path role : dirs.filter(Files::isDirectory).toList()) {
        assertThat(role.resolve("meta/argument_specs.yml")).as("spec of %s", role).isRegularFile();
        for (String line : Files.readAllLines(role.resolve("defaults/main.yml"))) {
          if (line.matches("^[a-z][a-z0-9_]*:.*")) {
            String name = line.substring(0, line.indexOf(':'));
            assertThat(specs.variable(name))
                .as("%s of %s", name, role.getFileName())
                .hasValueSatisfying(
                    o -> assertThat(o.role()).isEqualTo(role.getFileName().toString()));
          }
        }
      }
    }
  }

  @Test
  void typesElementsSubOptionsAndKindsAreRead() {
    RoleSpecs specs = RoleSpecs.load(RepoFiles.resolve("ansible/roles"));
    OptionSpec items = specs.variable("publish_binaries_items").orElseThrow();
    assertThat(items.type()).isEqualTo(Type.LIST);
    assertThat(items.elements()).isEqualTo(Type.DICT);
    assertThat(items.options().get("name").kind()).isEqualTo(Kind.FILE_NAME);
    assertThat(items.options().get("name").required()).isTrue();
    assertThat(items.options().get("src").kind()).isEqualTo(Kind.ROLE_FILE);
    assertThat(items.options().get("dest").type()).isEqualTo(Type.PATH);
    assertThat(specs.variable("runtime_baseline_cache_valid_time").orElseThrow().type())
        .isEqualTo(Type.INT);
    assertThat(specs.variable("runtime_baseline_install_recommends").orElseThrow().type())
        .isEqualTo(Type.BOOL);
    assertThat(specs.variable("ssh_hardening_options").orElseThrow().type()).isEqualTo(Type.DICT);
    assertThat(specs.variable("no_such_variable")).isEmpty();
    assertThat(specs.filesDir("publish_binaries"))
        .isEqualTo(RepoFiles.resolve("ansible/roles/publish_binaries/files").normalize());
  }

  @Test
  void aSpecWithAnUnsupportedTypeOrADuplicateVariableIsRefused(@TempDir Path roles)
      throws Exception {
    write(roles, "a", "      a_x:\n        type: bits\n      shared_y:\n        type: str\n");
    write(roles, "b", "      shared_y:\n        type: int\n");
    assertThatThrownBy(() -> RoleSpecs.load(roles))
        .isInstanceOfSatisfying(
            FamilyException.class,
            e ->
                assertThat(e.errors())
                    .containsExactlyInAnyOrder(
                        "a/meta/argument_specs.yml: argument_specs.main.options.a_x.type: type"
                            + " 'bits' is not one overrides can have (str, int, float, bool, list,"
                            + " dict, path, raw)",
                        "b/meta/argument_specs.yml: shared_y is declared by role a too"));
  }

  @Test
  void aMissingRolesDirectoryDeclaresNothing(@TempDir Path dir) {
    RoleSpecs specs = RoleSpecs.load(dir.resolve("roles"));
    assertThat(specs.variable("publish_binaries_items")).isEmpty();
  }

  private static void write(Path roles, String role, String options) throws Exception {
    Path meta = roles.resolve(role).resolve("meta");
    Files.createDirectories(meta);
    Files.writeString(
        meta.resolve("argument_specs.yml"),
        "---\nargument_specs:\n  main:\n    options:\n" + options);
  }
}
