package dev.goldsmith.verifier.ssh;

import java.security.PublicKey;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import dev.goldsmith.support.ssh.SshPublicKey;

import net.schmizz.sshj.common.Buffer;
import net.schmizz.sshj.common.KeyType;
import net.schmizz.sshj.transport.verification.HostKeyVerifier;

/**
 * Accepts exactly one host key: the one the verifier generated and handed to the server in its
 * cloud-init user data. Any other key (another type or other bytes) is refused, and the key that
 * was seen is kept so the report can say what the host presented.
 */
public final class PinnedHostKeyVerifier implements HostKeyVerifier {

  private final SshPublicKey pinned;
  private final AtomicReference<String> rejected = new AtomicReference<>();

  public PinnedHostKeyVerifier(SshPublicKey pinned) {
    this.pinned = pinned;
  }

  @Override
  public boolean verify(String hostname, int port, PublicKey key) {
    byte[] presented;
    String type;
    try {
      presented = new Buffer.PlainBuffer().putPublicKey(key).getCompactData();
      type = KeyType.fromKey(key).toString();
    } catch (RuntimeException e) {
      rejected.set("unreadable host key (" + key.getAlgorithm() + ")");
      return false;
    }
    if (Arrays.equals(presented, pinned.blob())) {
      return true;
    }
    rejected.set(
        type
            + " "
            + SshPublicKey.of(key, "").md5Fingerprint()
            + " (pinned "
            + pinned.type()
            + " "
            + pinned.md5Fingerprint()
            + ")");
    return false;
  }

  /** Tells the transport which host key algorithm to negotiate: only the pinned one. */
  @Override
  public List<String> findExistingAlgorithms(String hostname, int port) {
    return List.of(pinned.type());
  }

  /** A description of the last refused key, or null when none was refused. */
  public String lastRejected() {
    return rejected.get();
  }
}
