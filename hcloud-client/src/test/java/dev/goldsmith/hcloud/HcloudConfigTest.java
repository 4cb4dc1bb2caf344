package dev.goldsmith.hcloud;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;

import org.junit.jupiter.api.Test;

class HcloudConfigTest {

  private static final String TOKEN =
      "tok-ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789abcdefghijklmnopqrstuv";

  @Test
  void fromEnvDefaultsToThePublicEndpoint() {
    HcloudConfig c = HcloudConfig.fromEnv(Map.of("HCLOUD_TOKEN", TOKEN));
    assertThat(c.endpoint()).isEqualTo("https://api.hetzner.cloud/v1");
    assertThat(c.token()).isEqualTo(TOKEN);
  }

  @Test
  void fromEnvReadsEndpointAndDropsTrailingSlash() {
    HcloudConfig c =
        HcloudConfig.fromEnv(
            Map.of("HCLOUD_TOKEN", TOKEN, "HCLOUD_ENDPOINT", "http://127.0.0.1:8080/v1/"));
    assertThat(c.endpoint()).isEqualTo("http://127.0.0.1:8080/v1");
  }

  @Test
  void fromEnvWithoutTokenFailsWithoutEchoingAnything() {
    assertThatThrownBy(() -> HcloudConfig.fromEnv(Map.of()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("HCLOUD_TOKEN is not set");
  }

  @Test
  void toStringNeverShowsTheToken() {
    HcloudConfig c = HcloudConfig.of("http://127.0.0.1:1/v1", TOKEN);
    assertThat(c.toString()).doesNotContain(TOKEN).doesNotContain("tok-").contains("<redacted>");
  }

  @Test
  void userAgentIsGoldsmithWithTheModuleVersion() {
    HcloudConfig c = HcloudConfig.of("http://127.0.0.1:1/v1", TOKEN);
    assertThat(c.userAgent()).matches("goldsmith/\\d+\\.\\d+\\.\\d+.*");
  }

  @Test
  void defaultsAreSane() {
    HcloudConfig c = HcloudConfig.of("http://127.0.0.1:1/v1", TOKEN);
    assertThat(c.retry().maxTries()).isEqualTo(5);
    assertThat(c.actionPoll().initialInterval().toMillis()).isEqualTo(1000);
    assertThat(c.requestTimeout().toSeconds()).isEqualTo(30);
  }

  @Test
  void rejectsNonHttpEndpoint() {
    assertThatThrownBy(() -> HcloudConfig.of("ftp://x", TOKEN))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
