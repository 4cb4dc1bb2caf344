package dev.goldsmith.support.ssh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import net.schmizz.sshj.common.SecurityUtils;

/** Keys generated here are what OpenSSH itself reads and fingerprints (checked with ssh-keygen). */
class SshKeysTest {
  @TempDir Path dir;

  @Test
  void aGeneratedPairIsReadByOpenSshAndHasItsFingerprints() throws Exception {
    Path priv = dir.resolve("id_ed25519");
    Path pub = dir.resolve("id_ed25519.pub");
    SshKeyFile key = SshKeyFiles.loadOrGenerate(priv, pub, true, "goldsmith-test", "x.generate");

    assertThat(Files.getPosixFilePermissions(priv))
        .isEqualTo(PosixFilePermissions.fromString("rw-------"));
    assertThat(key.publicKey().type()).isEqualTo("ssh-ed25519");
    assertThat(key.publicKey().comment()).isEqualTo("goldsmith-test");
    // ssh-keygen derives the same public key from the private key file
    assertThat(sshKeygen("-y", "-f", priv.toString())).startsWith(key.publicKey().keyOnly());
    assertThat(sshKeygen("-l", "-E", "md5", "-f", pub.toString()))
        .contains("MD5:" + key.publicKey().md5Fingerprint());
    assertThat(sshKeygen("-l", "-E", "sha256", "-f", pub.toString()))
        .contains(key.publicKey().sha256Fingerprint());
    // and sshj agrees on the Hetzner (MD5) fingerprint
    assertThat(SecurityUtils.getFingerprint(key.publicKey().toJavaKey()))
        .isEqualTo(key.publicKey().md5Fingerprint());
    assertThat(key.readPrivateKeyPem()).startsWith("-----BEGIN OPENSSH PRIVATE KEY-----");
    assertThat(key.toString()).doesNotContain("PRIVATE");
  }

  @Test
  void loadingAgainReturnsTheSameKey() {
    Path priv = dir.resolve("k");
    Path pub = dir.resolve("k.pub");
    SshKeyFile first = SshKeyFiles.loadOrGenerate(priv, pub, true, "c", "x.generate");
    SshKeyFile again = SshKeyFiles.loadOrGenerate(priv, pub, false, "c", "x.generate");
    assertThat(again.publicKey()).isEqualTo(first.publicKey());
  }

  @Test
  void aKeyWrittenBySshKeygenLoads() throws Exception {
    Path priv = dir.resolve("gen");
    sshKeygen("-q", "-t", "ed25519", "-N", "", "-C", "made-by-ssh-keygen", "-f", priv.toString());
    SshKeyFile key =
        SshKeyFiles.loadOrGenerate(priv, dir.resolve("gen.pub"), false, "c", "x.generate");
    assertThat(key.publicKey().comment()).isEqualTo("made-by-ssh-keygen");
  }

  @Test
  void aMissingKeyNamesTheSettingThatWouldGenerateIt() {
    assertThatThrownBy(
            () ->
                SshKeyFiles.loadOrGenerate(
                    dir.resolve("none"),
                    dir.resolve("none.pub"),
                    false,
                    "c",
                    "goldsmith.verifier.ssh.generate-if-missing"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("does not exist")
        .hasMessageContaining("goldsmith.verifier.ssh.generate-if-missing=true");
  }

  @Test
  void aPrivateKeyReadableByOthersIsRestricted() throws IOException {
    Path priv = dir.resolve("k");
    Path pub = dir.resolve("k.pub");
    SshKeyFiles.generate(priv, pub, "c");
    Files.setPosixFilePermissions(priv, PosixFilePermissions.fromString("rw-r--r--"));
    SshKeyFiles.loadOrGenerate(priv, pub, false, "c", "x.generate");
    assertThat(Files.getPosixFilePermissions(priv))
        .isEqualTo(PosixFilePermissions.fromString("rw-------"));
  }

  @Test
  void aPublicKeyOfAnotherPairIsRefused() throws IOException {
    Path priv = dir.resolve("a");
    SshKeyFiles.generate(priv, dir.resolve("a.pub"), "a");
    SshKeyFiles.generate(dir.resolve("b"), dir.resolve("b.pub"), "b");
    assertThatThrownBy(
            () -> SshKeyFiles.loadOrGenerate(priv, dir.resolve("b.pub"), false, "c", "x"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("does not belong to its public key");
  }

  @Test
  void anEncryptedPrivateKeyIsRefusedWithoutShowingIt() throws Exception {
    Path priv = dir.resolve("enc");
    sshKeygen("-q", "-t", "ed25519", "-N", "secret-pass", "-C", "c", "-f", priv.toString());
    assertThatThrownBy(
            () -> SshKeyFiles.loadOrGenerate(priv, dir.resolve("enc.pub"), false, "c", "x"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("cannot be read")
        .hasMessageNotContaining("secret-pass");
  }

  @Test
  void aMissingPublicKeyIsNamed() throws IOException {
    Path priv = dir.resolve("k");
    SshKeyFiles.generate(priv, dir.resolve("k.pub"), "c");
    Files.delete(dir.resolve("k.pub"));
    assertThatThrownBy(
            () -> SshKeyFiles.loadOrGenerate(priv, dir.resolve("k.pub"), false, "c", "x"))
        .hasMessageContaining("k.pub does not exist");
  }

  @Test
  void authorizedKeysLinesWithOptionsParse() {
    SshKeyPair kp = SshKeyPair.generateEd25519("me@host");
    String line = "no-pty,command=\"echo a b\" " + kp.publicKey().line();
    SshPublicKey parsed = SshPublicKey.parse(line);
    assertThat(parsed.options()).isEqualTo("no-pty,command=\"echo a b\"");
    assertThat(parsed.comment()).isEqualTo("me@host");
    assertThat(parsed.sameKey(kp.publicKey())).isTrue();
    assertThat(parsed).isNotEqualTo(kp.publicKey());
    assertThat(SshPublicKey.tryParse("# a comment")).isEmpty();
    assertThat(SshPublicKey.tryParse("")).isEmpty();
    assertThat(SshPublicKey.tryParse("ssh-ed25519 !!!notbase64")).isEmpty();
    assertThatThrownBy(() -> SshPublicKey.parse("hello world"))
        .hasMessageContaining("not an OpenSSH public key line");
  }

  @Test
  void theHetznerNameIsDerivedFromTheMd5Fingerprint() {
    SshPublicKey k = SshKeyPair.generateEd25519("c").publicKey();
    assertThat(k.hetznerName("configurator"))
        .isEqualTo(
            "goldsmith-configurator-" + k.md5Fingerprint().replace(":", "").substring(0, 12));
    assertThat(k.md5Fingerprint()).matches("([0-9a-f]{2}:){15}[0-9a-f]{2}");
  }

  @Test
  void aJdkKeyEncodesToTheSameBlob() {
    SshPublicKey k = SshKeyPair.generateEd25519("c").publicKey();
    assertThat(SshPublicKey.of(k.toJavaKey(), "c")).isEqualTo(k);
  }

  @Test
  void aCommentCannotBreakTheLine() {
    SshKeyPair kp = SshKeyPair.generateEd25519("evil\ncomment");
    assertThat(kp.publicKey().line()).doesNotContain("\n").endsWith("evil comment");
    assertThat(kp.toString()).doesNotContain(kp.privateKeyPem());
  }

  private static String sshKeygen(String... args) throws Exception {
    List<String> cmd = new java.util.ArrayList<>(List.of("ssh-keygen"));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    p.getOutputStream().close();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(out).isZero();
    return out;
  }
}
