package dev.goldsmith.verifier.ssh;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringReader;
import java.security.PublicKey;

import org.junit.jupiter.api.Test;

import com.hierynomus.sshj.userauth.keyprovider.OpenSSHKeyV1KeyFile;

class PinnedHostKeyVerifierTest {

  private static PublicKey sshjKey(OpenSshKeyPair kp) throws Exception {
    OpenSSHKeyV1KeyFile kf = new OpenSSHKeyV1KeyFile();
    kf.init(new StringReader(kp.privateKeyPem()), new StringReader(kp.publicKeyLine()), null);
    return kf.getPublic();
  }

  @Test
  void acceptsExactlyThePinnedKey() throws Exception {
    OpenSshKeyPair host = OpenSshKeyPair.generateEd25519("goldsmith-test-host");
    PinnedHostKeyVerifier v = new PinnedHostKeyVerifier(PublicKeyLine.parse(host.publicKeyLine()));
    assertThat(v.verify("10.0.0.2", 22, sshjKey(host))).isTrue();
    assertThat(v.lastRejected()).isNull();
  }

  @Test
  void refusesAnyOtherKeyAndSaysWhatWasPresented() throws Exception {
    OpenSshKeyPair pinned = OpenSshKeyPair.generateEd25519("goldsmith-test-host");
    OpenSshKeyPair other = OpenSshKeyPair.generateEd25519("impostor");
    PinnedHostKeyVerifier v =
        new PinnedHostKeyVerifier(PublicKeyLine.parse(pinned.publicKeyLine()));
    assertThat(v.verify("10.0.0.2", 22, sshjKey(other))).isFalse();
    assertThat(v.lastRejected())
        .contains(other.md5Fingerprint())
        .contains("pinned")
        .contains(pinned.md5Fingerprint());
  }

  @Test
  void negotiatesOnlyThePinnedAlgorithm() {
    OpenSshKeyPair pinned = OpenSshKeyPair.generateEd25519("h");
    PinnedHostKeyVerifier v =
        new PinnedHostKeyVerifier(PublicKeyLine.parse(pinned.publicKeyLine()));
    assertThat(v.findExistingAlgorithms("h", 22)).containsExactly("ssh-ed25519");
  }
}
