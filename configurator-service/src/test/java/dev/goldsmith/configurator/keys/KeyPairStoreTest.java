package dev.goldsmith.configurator.keys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KeyPairStoreTest {
  @TempDir Path dir;

  @Test
  void generatesAnEd25519PairOnceAndLoadsItAfterwards() throws Exception {
    Path priv = dir.resolve("keys/id_ed25519");
    Path pub = dir.resolve("keys/id_ed25519.pub");

    KeyPair first = KeyPairStore.loadOrGenerate(priv, pub, true, "goldsmith-configurator");
    KeyPair again = KeyPairStore.loadOrGenerate(priv, pub, true, "goldsmith-configurator");

    assertThat(first.publicKey().type()).isEqualTo("ssh-ed25519");
    assertThat(first.publicKey().comment()).isEqualTo("goldsmith-configurator");
    assertThat(again.publicKey()).isEqualTo(first.publicKey());
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(priv)))
        .isEqualTo("rw-------");
    assertThat(Files.readString(priv)).startsWith("-----BEGIN OPENSSH PRIVATE KEY-----");
    assertThat(first.toString()).doesNotContain("PRIVATE").contains("SHA256:");
  }

  @Test
  void missingKeyWithoutGenerationStopsTheService() {
    assertThatThrownBy(
            () ->
                KeyPairStore.loadOrGenerate(
                    dir.resolve("none"), dir.resolve("none.pub"), false, "goldsmith-configurator"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("generate-if-missing");
  }

  @Test
  void fingerprintsMatchSshKeygen() throws Exception {
    KeyPair pair =
        KeyPairStore.loadOrGenerate(
            dir.resolve("k"), dir.resolve("k.pub"), true, "goldsmith-configurator");

    assertThat(keygenFingerprint("md5", dir.resolve("k.pub")))
        .isEqualTo("MD5:" + pair.publicKey().md5Fingerprint());
    assertThat(keygenFingerprint("sha256", dir.resolve("k.pub")))
        .isEqualTo(pair.publicKey().sha256Fingerprint());
    assertThat(pair.publicKey().hetznerName("configurator"))
        .matches("goldsmith-configurator-[0-9a-f]{12}");
  }

  @Test
  void publicKeyLinesAreParsedAndJunkRefused() {
    PublicKey k = PublicKey.parse("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIPc11DKiSnmDi1n2 a b");
    assertThat(k.comment()).isEqualTo("a b");
    assertThat(k.typeAndBlob()).isEqualTo("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIPc11DKiSnmDi1n2");
    assertThatThrownBy(() -> PublicKey.parse("-----BEGIN OPENSSH PRIVATE KEY-----"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> PublicKey.parse("ssh-ed25519 not*base64"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private static String keygenFingerprint(String hash, Path pub) throws Exception {
    Process p =
        new ProcessBuilder(List.of("ssh-keygen", "-l", "-E", hash, "-f", pub.toString()))
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(out).isZero();
    return out.trim().split("\\s+")[1];
  }
}
