package dev.goldsmith.verifier.ssh;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PublicKeyLineTest {

  private final OpenSshKeyPair kp = OpenSshKeyPair.generateEd25519("goldsmith-configurator");

  @Test
  void parsesTypeBlobAndComment() {
    PublicKeyLine k = PublicKeyLine.parse(kp.publicKeyLine());
    assertThat(k.type()).isEqualTo("ssh-ed25519");
    assertThat(k.comment()).isEqualTo("goldsmith-configurator");
    assertThat(k.options()).isEmpty();
    assertThat(k.blob()).isEqualTo(kp.publicKeyBlob());
  }

  @Test
  void parsesOptionsWithQuotedSpaces() {
    String line =
        "no-pty,command=\"echo a b\" "
            + PublicKeyLine.parse(kp.publicKeyLine()).keyOnly()
            + " me@host";
    PublicKeyLine k = PublicKeyLine.tryParse(line).orElseThrow();
    assertThat(k.options()).isEqualTo("no-pty,command=\"echo a b\"");
    assertThat(k.comment()).isEqualTo("me@host");
    assertThat(k.sameKey(PublicKeyLine.parse(kp.publicKeyLine()))).isTrue();
  }

  @Test
  void blankCommentAndGarbageLinesHoldNoKey() {
    assertThat(PublicKeyLine.tryParse("")).isEmpty();
    assertThat(PublicKeyLine.tryParse("# ssh-ed25519 AAAA")).isEmpty();
    assertThat(PublicKeyLine.tryParse("hello world")).isEmpty();
    assertThat(PublicKeyLine.tryParse("ssh-ed25519 !!!notbase64")).isEmpty();
  }

  @Test
  void differentKeysAreNotTheSame() {
    PublicKeyLine a = PublicKeyLine.parse(kp.publicKeyLine());
    PublicKeyLine b = PublicKeyLine.parse(OpenSshKeyPair.generateEd25519("x").publicKeyLine());
    assertThat(a.sameKey(b)).isFalse();
  }
}
