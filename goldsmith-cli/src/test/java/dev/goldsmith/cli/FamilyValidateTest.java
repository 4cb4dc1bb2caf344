package dev.goldsmith.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

class FamilyValidateTest {
  static Path repo() {
    return Path.of(System.getProperty("goldsmith.repo.root", "..")).toAbsolutePath().normalize();
  }

  /** vault-base with five independent mistakes. */
  static String broken() throws Exception {
    return Files.readString(repo().resolve("ansible/families/vault-base.yml"))
        .replace("name: vault-base", "name: Vault_Base")
        .replace("network_mode: ipv4", "network_mode: ipv5")
        .replace("keep_previous: 0", "keep_previous: 99")
        .replace("location: fsn1\n", "")
        .replace("allowed_prefixes: [/usr/local/bin]", "allowed_prefixes: [usr/local/bin]");
  }

  @Test
  void everyErrorOfABrokenFamilyIsListedAtOnce(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("broken.yml");
    Files.writeString(file, broken());
    String roles = repo().resolve("ansible/roles").toString();
    Run r = Run.of("family", "validate", file.toString(), "--roles-dir", roles);
    assertThat(r.code()).isEqualTo(ExitCode.FAILED_REQUEST);
    assertThat(r.out().lines().toList())
        .containsExactlyInAnyOrder(
            file + ": 6 errors",
            "  broken.yml: name: 'Vault_Base' must match ^[a-z][a-z0-9-]{0,38}[a-z0-9]$",
            "  broken.yml: name: 'Vault_Base' differs from the file name 'broken.yml'",
            "  broken.yml: location: is required",
            "  broken.yml: network_mode: network mode must be one of ipv4, ipv6, auto (was 'ipv5')",
            "  broken.yml: keep_previous: must be an integer from 0 to 10",
            "  broken.yml: verification.binaries.vault-preflight.allowed_prefixes: 'usr/local/bin'"
                + " must be an absolute path");

    Run json = Run.of("-o", "json", "family", "validate", file.toString(), "--roles-dir", roles);
    assertThat(json.code()).isEqualTo(ExitCode.FAILED_REQUEST);
    JsonNode doc = Registry.JSON.readTree(json.out());
    assertThat(doc.path("valid").asBoolean()).isFalse();
    assertThat(doc.path("errors").size()).isEqualTo(6);
  }

  @Test
  void theRepositorysFamiliesAreValidByNameAndAsADirectory() {
    String families = repo().resolve("ansible/families").toString();
    Run byName = Run.of("family", "validate", "vault-base", "--families-dir", families);
    assertThat(byName.code()).as(byName.err()).isZero();
    assertThat(byName.out()).endsWith("vault-base.yml: valid (vault-base)\n");
    Run all = Run.of("family", "validate", "--families-dir", families);
    assertThat(all.code()).isZero();
    assertThat(all.out()).isEqualTo(families + ": valid (vault-base)\n");
    Run unknown = Run.of("family", "validate", "no-such", "--families-dir", families);
    assertThat(unknown.code()).isEqualTo(ExitCode.FAILED_REQUEST);
    assertThat(unknown.err())
        .isEqualTo("goldsmith: family no-such is not defined in " + families + "\n");
  }

  @Test
  void anOverridableVarNoRoleDeclaresIsReportedAsTheRegistryWould(@TempDir Path dir)
      throws Exception {
    Path file = dir.resolve("vault-base.yml");
    Files.writeString(
        file,
        Files.readString(repo().resolve("ansible/families/vault-base.yml"))
            .replace(
                "  - image_hygiene_extra_paths", "  - image_hygiene_extra_paths\n  - no_such_var"));
    Run r =
        Run.of(
            "family",
            "validate",
            file.toString(),
            "--roles-dir",
            repo().resolve("ansible/roles").toString());
    assertThat(r.code()).isEqualTo(ExitCode.FAILED_REQUEST);
    assertThat(r.out()).contains("no_such_var");
  }
}
