package dev.goldsmith.verifier.ssh;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringReader;
import java.security.PublicKey;

import org.junit.jupiter.api.Test;

import com.hierynomus.sshj.userauth.keyprovider.OpenSSHKeyV1KeyFile;

import dev.goldsmith.support.ssh.SshKeyPair;

class PinnedHostKeyVerifierTest {

  private static PublicKey sshjKey(SshKeyPair kp) throws Exception {
    OpenSSHKeyV1KeyFile kf = new OpenSSHKeyV1KeyFile();
    kf.init(new StringReader(kp.privateKeyPem()), new StringReader(kp.publicKey().line()), null);
    return kf.getPublic();
  }

  @Test
  void acceptsExactlyThePinnedKey() throws Exception {
    SshKeyPair host = SshKeyPair.generateEd25519("goldsmith-test-host");
    PinnedHostKeyVerifier v = new PinnedHostKeyVerifier(host.publicKey());
    assertThat(v.verify("10.0.0.2", 22, sshjKey(host))).isTrue();
    assertThat(v.lastRejected()).isNull();
  }

  @Test
  void refusesAnyOtherKeyAndSaysWhatWasPresented() throws Exception {
    SshKeyPair pinned = SshKeyPair.generateEd25519("goldsmith-test-host");
    SshKeyPair other = SshKeyPair.generateEd25519("impostor");
    PinnedHostKeyVerifier v = new PinnedHostKeyVerifier(pinned.publicKey());
    assertThat(v.verify("10.0.0.2", 22, sshjKey(other))).isFalse();
    assertThat(v.lastRejected())
        .contains(other.publicKey().md5Fingerprint())
        .contains("pinned")
        .contains(pinned.publicKey().md5Fingerprint());
  }

  @Test
  void negotiatesOnlyThePinnedAlgorithm() {
    SshKeyPair pinned = SshKeyPair.generateEd25519("h");
    PinnedHostKeyVerifier v = new PinnedHostKeyVerifier(pinned.publicKey());
    assertThat(v.findExistingAlgorithms("h", 22)).containsExactly("ssh-ed25519");
  }
}
