package dev.goldsmith.verifier.cloud;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import dev.goldsmith.support.ssh.SshKeyPair;

class CloudInitUserDataTest {

  @Test
  @SuppressWarnings("unchecked")
  void carriesTheGeneratedHostKeyPairAndNothingElseToGenerate() throws Exception {
    SshKeyPair host = SshKeyPair.generateEd25519("goldsmith-test-host");
    String userData = CloudInitUserData.render(host);
    assertThat(userData).startsWith("#cloud-config\n");
    Map<String, Object> doc = new ObjectMapper(new YAMLFactory()).readValue(userData, Map.class);
    Map<String, Object> keys = (Map<String, Object>) doc.get("ssh_keys");
    assertThat(keys).containsOnlyKeys("ed25519_private", "ed25519_public");
    assertThat(keys.get("ed25519_private")).isEqualTo(host.privateKeyPem());
    assertThat(keys.get("ed25519_public")).isEqualTo(host.publicKey().line());
    assertThat(doc.get("ssh_deletekeys")).isEqualTo(true);
    assertThat(doc.get("ssh_genkeytypes")).asList().isEmpty();
  }

  @Test
  void requestToStringHidesUserData() {
    TestServerRequest r =
        new TestServerRequest("n", "cx23", "fsn1", 1, 2, "#cloud-config\nsecret", Map.of());
    assertThat(r.toString()).doesNotContain("secret").contains("chars");
  }
}
