package dev.goldsmith.configurator.provenance;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.goldsmith.events.Patterns;

/** The provenance the configurator records, over a copy of the repository's ansible/ tree. */
class AnsibleProvenanceTest {
  @TempDir Path tmp;
  private Path tree;
  private Path playbook;

  @BeforeEach
  void copyTheTree() throws IOException {
    Path source = Path.of("..", "ansible").toAbsolutePath().normalize();
    tree = tmp.resolve("ansible");
    try (Stream<Path> walk = Files.walk(source)) {
      for (Path p : walk.toList()) {
        Path to = tree.resolve(source.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(to);
        } else {
          Files.copy(p, to);
        }
      }
    }
    playbook = tree.resolve("golden-image.yml");
  }

  @Test
  void theGoldenImageUsesItsFiveRolesInPlaybookOrder() {
    assertThat(AnsibleProvenance.usedRoles(tree, playbook))
        .containsExactly(
            "runtime_baseline", "users", "ssh_hardening", "publish_binaries", "image_hygiene");
  }

  @Test
  void theRolesDigestIsStableAndChangesWithAUsedRoleFileButNotWithAnUnusedRole()
      throws IOException {
    String digest = AnsibleProvenance.rolesDigest(tree, playbook);
    assertThat(digest).matches(Patterns.SHA256);
    assertThat(AnsibleProvenance.rolesDigest(tree, playbook)).isEqualTo(digest);

    // A role no play names is not part of the image.
    Path unused = tree.resolve("roles/not_used/tasks/main.yml");
    Files.createDirectories(unused.getParent());
    Files.writeString(unused, "- debug: msg=hi\n");
    assertThat(AnsibleProvenance.rolesDigest(tree, playbook)).isEqualTo(digest);

    Path defaults = tree.resolve("roles/users/defaults/main.yml");
    Files.writeString(defaults, Files.readString(defaults) + "\n# changed\n");
    assertThat(AnsibleProvenance.rolesDigest(tree, playbook)).isNotEqualTo(digest);
  }

  @Test
  void aRoleDependencyCountsAndTheDigestIgnoresWhereTheTreeLives() throws IOException {
    Path meta = tree.resolve("roles/users/meta/main.yml");
    String before = AnsibleProvenance.rolesDigest(tree, playbook);
    Files.writeString(meta, Files.readString(meta) + "\ndependencies:\n  - role: not_used\n");
    Path dep = tree.resolve("roles/not_used/tasks/main.yml");
    Files.createDirectories(dep.getParent());
    Files.writeString(dep, "- debug: msg=hi\n");
    assertThat(AnsibleProvenance.usedRoles(tree, playbook)).contains("not_used");
    String with = AnsibleProvenance.rolesDigest(tree, playbook);
    assertThat(with).isNotEqualTo(before);
    Files.writeString(dep, "- debug: msg=bye\n");
    assertThat(AnsibleProvenance.rolesDigest(tree, playbook)).isNotEqualTo(with);

    Path moved = tmp.resolve("elsewhere/ansible");
    Files.createDirectories(moved.getParent());
    Files.move(tree, moved);
    Files.writeString(moved.resolve("roles/not_used/tasks/main.yml"), "- debug: msg=hi\n");
    assertThat(AnsibleProvenance.rolesDigest(moved, moved.resolve("golden-image.yml")))
        .isEqualTo(with);
  }

  @Test
  void theVarsDigestIgnoresKeyOrderButSeesValuesAndTheOrderOfTheFiles() {
    Map<String, Object> spec = new LinkedHashMap<>();
    spec.put("runtime_baseline_extra_packages", List.of("htop"));
    spec.put("x_debug", true);
    Map<String, Object> reordered = new LinkedHashMap<>();
    reordered.put("x_debug", true);
    reordered.put("runtime_baseline_extra_packages", List.of("htop"));
    Map<String, Object> own = Map.of("image_hygiene_build_pubkeys", List.of("ssh-ed25519 AAAA"));
    String digest = AnsibleProvenance.varsDigest(List.of(spec, own));
    assertThat(digest).matches(Patterns.SHA256);
    assertThat(AnsibleProvenance.varsDigest(List.of(reordered, own))).isEqualTo(digest);
    assertThat(AnsibleProvenance.varsDigest(List.of(own, spec))).isNotEqualTo(digest);
    reordered.put("x_debug", false);
    assertThat(AnsibleProvenance.varsDigest(List.of(reordered, own))).isNotEqualTo(digest);
  }

  @Test
  void aTreeThatIsNoGitCheckoutHasAnUnknownRevision() {
    AnsibleProvenance.Revision r = AnsibleProvenance.revision(tree);
    assertThat(r.commit()).isEqualTo("unknown");
    assertThat(r.dirty()).isNull();
  }

  @Test
  void aGitCheckoutGivesItsHeadAndWhetherTheTreeHasChanges() throws Exception {
    Path repo = tmp.resolve("repo");
    Files.createDirectories(repo);
    Path sub = repo.resolve("ansible");
    Files.move(tree, sub);
    git(repo, "init", "-q");
    git(repo, "add", "-A");
    git(
        repo,
        "-c",
        "user.name=t",
        "-c",
        "user.email=t@example.invalid",
        "commit",
        "-q",
        "-m",
        "tree");
    String head = git(repo, "rev-parse", "HEAD").strip();

    AnsibleProvenance.Revision clean = AnsibleProvenance.revision(sub);
    assertThat(clean.commit()).isEqualTo(head).matches(Patterns.GIT_REVISION);
    assertThat(clean.dirty()).isFalse();

    // A change outside ansible/ does not make ansible/ dirty; one inside does.
    Files.writeString(repo.resolve("README"), "elsewhere\n");
    assertThat(AnsibleProvenance.revision(sub).dirty()).isFalse();
    Files.writeString(sub.resolve("roles/users/defaults/main.yml"), "users: []\n");
    AnsibleProvenance.Revision dirty = AnsibleProvenance.revision(sub);
    assertThat(dirty.commit()).isEqualTo(head);
    assertThat(dirty.dirty()).isTrue();

    var p = AnsibleProvenance.of(sub, sub.resolve("golden-image.yml"), List.of(Map.of()));
    assertThat(p.ansibleRevision()).isEqualTo(head);
    assertThat(p.ansibleDirty()).isTrue();
    assertThat(p.rolesSha256()).matches(Patterns.SHA256);
  }

  private static String git(Path dir, String... args) throws Exception {
    List<String> cmd = new java.util.ArrayList<>(List.of("git", "-C", dir.toString()));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(out).isZero();
    return out;
  }
}
