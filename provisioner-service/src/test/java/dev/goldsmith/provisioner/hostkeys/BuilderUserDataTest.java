package dev.goldsmith.provisioner.hostkeys;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.goldsmith.support.ssh.SshKeyPair;

/** The user data as cloud-init reads it (python3's YAML parser, the one cloud-init uses). */
class BuilderUserDataTest {

  @TempDir Path tmp;

  @Test
  void cloudConfigInstallsExactlyTheGeneratedHostKey() throws Exception {
    SshKeyPair pair = SshKeyPair.generateEd25519("goldsmith-builder");
    String userData = BuilderUserData.render(pair);
    Path file = tmp.resolve("user-data");
    Files.writeString(file, userData);

    assertThat(userData).startsWith("#cloud-config\n");
    String parsed =
        HostKeyPairTest.run(
            "python3",
            "-c",
            "import sys, yaml; d = yaml.safe_load(open(sys.argv[1]));"
                + " print(d['ssh_deletekeys'], d['ssh_genkeytypes'], sorted(d['ssh_keys']));"
                + " sys.stdout.write(d['ssh_keys']['ed25519_private']);"
                + " print(d['ssh_keys']['ed25519_public'])",
            file.toString());

    assertThat(parsed)
        .startsWith("True [] ['ed25519_private', 'ed25519_public']\n")
        .contains(pair.privateKeyPem())
        .endsWith(BuilderHostKeys.hostKey(pair) + "\n");
  }
}
