package dev.goldsmith.provisioner.hostkeys;

import dev.goldsmith.support.ssh.SshKeyPair;

/**
 * The cloud-init user data of a builder: the host key pair the provisioner generated, so the
 * configurator can pin it instead of trusting the first key it sees. Existing host keys are deleted
 * and no other type is generated, so the builder can present only this key. The same document as
 * the verifier's {@code CloudInitUserData} renders for its test servers.
 */
public final class BuilderUserData {

  private BuilderUserData() {}

  public static String render(SshKeyPair hostKey) {
    StringBuilder y = new StringBuilder("#cloud-config\n");
    y.append("ssh_deletekeys: true\n");
    y.append("ssh_genkeytypes: []\n");
    y.append("ssh_keys:\n");
    y.append("  ed25519_private: |\n");
    hostKey.privateKeyPem().lines().forEach(l -> y.append("    ").append(l).append('\n'));
    y.append("  ed25519_public: \"").append(BuilderHostKeys.hostKey(hostKey)).append("\"\n");
    return y.toString();
  }
}
