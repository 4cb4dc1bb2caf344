package dev.goldsmith.verifier.cloud;

import dev.goldsmith.support.ssh.SshKeyPair;

/**
 * Renders the cloud-init user data of a test server: the host key pair the verifier generated, so
 * it can pin the host key instead of trusting the first one it sees. Existing host keys are deleted
 * and no other type is generated, so the server can present only this key.
 */
public final class CloudInitUserData {

  private CloudInitUserData() {}

  public static String render(SshKeyPair hostKey) {
    StringBuilder y = new StringBuilder("#cloud-config\n");
    y.append("ssh_deletekeys: true\n");
    y.append("ssh_genkeytypes: []\n");
    y.append("ssh_keys:\n");
    y.append("  ed25519_private: |\n");
    hostKey.privateKeyPem().lines().forEach(l -> y.append("    ").append(l).append('\n'));
    y.append("  ed25519_public: \"").append(hostKey.publicKey().line()).append("\"\n");
    return y.toString();
  }
}
