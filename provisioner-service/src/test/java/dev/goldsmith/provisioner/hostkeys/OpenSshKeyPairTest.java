package dev.goldsmith.provisioner.hostkeys;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.goldsmith.events.Patterns;

/** The generated pair against OpenSSH's own reader ({@code ssh-keygen}). */
class OpenSshKeyPairTest {

  @TempDir Path tmp;

  @Test
  void sshKeygenDerivesThePublicKeyFromThePrivateOne() throws Exception {
    OpenSshKeyPair pair = OpenSshKeyPair.generateEd25519("goldsmith-builder");
    Path key = tmp.resolve("ssh_host_ed25519_key");
    Files.writeString(key, pair.privateKeyPem());
    Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));

    String derived = run("ssh-keygen", "-y", "-f", key.toString());

    assertThat(derived.strip().split(" ", 3)).startsWith(pair.publicKey().split(" "));
    assertThat(pair.publicKey()).matches(Patterns.HOST_KEY);
  }

  @Test
  void everyPairIsFreshAndTheSecretNeverPrints() {
    OpenSshKeyPair a = OpenSshKeyPair.generateEd25519("x");
    OpenSshKeyPair b = OpenSshKeyPair.generateEd25519("x");
    assertThat(a.publicKey()).isNotEqualTo(b.publicKey());
    assertThat(a.toString()).contains(a.publicKey()).doesNotContain("PRIVATE KEY");
  }

  @Test
  void fingerprintLabelIsAValidLabelValueThatDiffersPerKey() {
    String a = OpenSshKeyPair.fingerprintLabel(OpenSshKeyPair.generateEd25519("x").publicKey());
    String b = OpenSshKeyPair.fingerprintLabel(OpenSshKeyPair.generateEd25519("x").publicKey());
    assertThat(a).matches("[0-9a-f]{40}").isNotEqualTo(b);
  }

  static String run(String... cmd) throws Exception {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(out).isZero();
    return out;
  }
}
