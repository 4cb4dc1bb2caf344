package dev.goldsmith.verifier.ssh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.hierynomus.sshj.userauth.keyprovider.OpenSSHKeyV1KeyFile;

import net.schmizz.sshj.common.Buffer;

class OpenSshKeyPairTest {

  @TempDir Path tmp;

  @Test
  void generatedKeyIsReadBySshjAndMatchesItsPublicLine() throws Exception {
    OpenSshKeyPair kp = OpenSshKeyPair.generateEd25519("goldsmith-test-host");
    OpenSSHKeyV1KeyFile kf = new OpenSSHKeyV1KeyFile();
    kf.init(new StringReader(kp.privateKeyPem()), new StringReader(kp.publicKeyLine()), null);
    byte[] derived = new Buffer.PlainBuffer().putPublicKey(kf.getPublic()).getCompactData();
    assertThat(derived).isEqualTo(kp.publicKeyBlob());
    assertThat(kf.getPrivate()).isNotNull();
    assertThat(kp.publicKeyLine())
        .startsWith("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5")
        .endsWith(" goldsmith-test-host");
  }

  @Test
  void opensshDerivesTheSamePublicKeyAndFingerprint() throws Exception {
    OpenSshKeyPair kp = OpenSshKeyPair.generateEd25519("goldsmith-x");
    Path key = tmp.resolve("k");
    Files.writeString(key, kp.privateKeyPem());
    Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
    String derived = run("ssh-keygen", "-y", "-f", key.toString());
    assertThat(PublicKeyLine.parse(derived).sameKey(PublicKeyLine.parse(kp.publicKeyLine())))
        .isTrue();
    Files.writeString(tmp.resolve("k.pub"), kp.publicKeyLine() + "\n");
    String fp = run("ssh-keygen", "-l", "-E", "md5", "-f", tmp.resolve("k.pub").toString());
    assertThat(fp).contains("MD5:" + kp.md5Fingerprint());
  }

  @Test
  void toStringNeverShowsThePrivateKey() {
    OpenSshKeyPair kp = OpenSshKeyPair.generateEd25519("c");
    assertThat(kp.toString()).doesNotContain("PRIVATE").contains("<redacted>");
  }

  @Test
  void keyStoreGeneratesOnceAndReloadsTheSamePair() {
    Path dir = tmp.resolve("keys");
    OpenSshKeyPair first = VerifierKeyStore.loadOrGenerate(dir, true);
    OpenSshKeyPair again = VerifierKeyStore.loadOrGenerate(dir, true);
    assertThat(again.publicKeyLine()).isEqualTo(first.publicKeyLine());
    assertThat(dir.resolve("id_ed25519")).exists();
  }

  @Test
  void keyStoreRefusesAMissingPairWhenNotGenerating() {
    assertThatThrownBy(() -> VerifierKeyStore.loadOrGenerate(tmp.resolve("none"), false))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("generate-if-missing");
  }

  private static String run(String... cmd) throws Exception {
    Process p = new ProcessBuilder(List.of(cmd)).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(out).isZero();
    return out.strip();
  }
}
