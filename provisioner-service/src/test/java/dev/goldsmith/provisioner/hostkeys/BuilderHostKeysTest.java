package dev.goldsmith.provisioner.hostkeys;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.goldsmith.support.ssh.SshKeyPair;

class BuilderHostKeysTest {

  @TempDir Path tmp;

  private BuilderHostKeys store() {
    return new BuilderHostKeys(tmp.resolve("host-keys"), Duration.ofHours(2), Clock.systemUTC());
  }

  @Test
  void generatedKeyIsRecordedBeforeItIsReturnedAndSurvivesANewStore() {
    UUID build = UUID.randomUUID();
    SshKeyPair pair = store().generate(build);

    // a restarted process reads what the first one wrote
    assertThat(store().find(build)).contains(BuilderHostKeys.hostKey(pair));
    assertThat(store().find(UUID.randomUUID())).isEmpty();
  }

  @Test
  void onlyThePublicHalfIsKeptInAPrivateDirectory() throws Exception {
    UUID build = UUID.randomUUID();
    store().generate(build);
    Path dir = tmp.resolve("host-keys");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)))
        .isEqualTo("rwx------");
    try (var files = Files.list(dir)) {
      assertThat(files.map(p -> p.getFileName().toString())).containsExactly(build + ".pub");
    }
    assertThat(Files.readString(dir.resolve(build + ".pub"))).doesNotContain("PRIVATE");
  }

  @Test
  void aNewKeyReplacesTheRecordedOne() {
    UUID build = UUID.randomUUID();
    SshKeyPair first = store().generate(build);
    SshKeyPair second = store().generate(build);
    assertThat(BuilderHostKeys.hostKey(second)).isNotEqualTo(BuilderHostKeys.hostKey(first));
    assertThat(store().find(build)).contains(BuilderHostKeys.hostKey(second));
  }

  @Test
  void deleteForgetsAndMalformedFilesAreNotTrusted() throws Exception {
    UUID build = UUID.randomUUID();
    store().generate(build);
    store().delete(build);
    assertThat(store().find(build)).isEmpty();

    UUID other = UUID.randomUUID();
    store().generate(other);
    Files.writeString(tmp.resolve("host-keys").resolve(other + ".pub"), "ssh-ed25519 x\n");
    assertThat(store().find(other)).isEmpty();
  }

  @Test
  void filesOlderThanTheBuilderTtlArePrunedOnTheNextGenerate() throws Exception {
    UUID old = UUID.randomUUID();
    store().generate(old);
    Path oldFile = tmp.resolve("host-keys").resolve(old + ".pub");
    Files.setLastModifiedTime(oldFile, FileTime.from(Instant.now().minus(Duration.ofHours(3))));

    UUID fresh = UUID.randomUUID();
    store().generate(fresh);

    assertThat(oldFile).doesNotExist();
    assertThat(store().find(fresh)).isPresent();
  }
}
