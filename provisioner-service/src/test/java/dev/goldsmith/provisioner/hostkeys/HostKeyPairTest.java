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
import dev.goldsmith.support.ssh.SshKeyPair;

/**
 * The shared {@link SshKeyPair} as a builder host key: OpenSSH's own reader ({@code ssh-keygen})
 * derives the key BuilderReady carries, and the label fingerprint.
 */
class HostKeyPairTest {

  @TempDir Path tmp;

  @Test
  void sshKeygenDerivesThePublicKeyFromThePrivateOne() throws Exception {
    SshKeyPair pair = SshKeyPair.generateEd25519("goldsmith-builder");
    Path key = tmp.resolve("ssh_host_ed25519_key");
    Files.writeString(key, pair.privateKeyPem());
    Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));

    String derived = run("ssh-keygen", "-y", "-f", key.toString());

    assertThat(derived.strip().split(" ", 3)).startsWith(BuilderHostKeys.hostKey(pair).split(" "));
    assertThat(BuilderHostKeys.hostKey(pair)).matches(Patterns.HOST_KEY);
  }

  @Test
  void everyPairIsFreshAndTheSecretNeverPrints() {
    SshKeyPair a = SshKeyPair.generateEd25519("x");
    SshKeyPair b = SshKeyPair.generateEd25519("x");
    assertThat(BuilderHostKeys.hostKey(a)).isNotEqualTo(BuilderHostKeys.hostKey(b));
    assertThat(a.toString()).doesNotContain("PRIVATE KEY");
  }

  @Test
  void fingerprintLabelIsAValidLabelValueThatDiffersPerKey() {
    SshKeyPair pair = SshKeyPair.generateEd25519("x");
    String a = BuilderHostKeys.fingerprintLabel(pair);
    String b = BuilderHostKeys.fingerprintLabel(SshKeyPair.generateEd25519("x"));
    assertThat(a).matches("[0-9a-f]{40}").isNotEqualTo(b);
    assertThat(BuilderHostKeys.fingerprintLabel(BuilderHostKeys.hostKey(pair) + " a-comment"))
        .isEqualTo(a);
  }

  static String run(String... cmd) throws Exception {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(out).isZero();
    return out;
  }
}
