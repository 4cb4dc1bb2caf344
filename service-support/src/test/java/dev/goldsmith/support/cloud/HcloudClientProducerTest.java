package dev.goldsmith.support.cloud;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;

import org.junit.jupiter.api.Test;

import dev.goldsmith.hcloud.HcloudConfig;

class HcloudClientProducerTest {

  @Test
  void aMissingOrBlankTokenNamesTheKey() {
    for (Optional<String> token : new Optional[] {Optional.empty(), Optional.of("  ")}) {
      assertThatThrownBy(() -> HcloudClientProducer.config("http://127.0.0.1:1/v1", token))
          .isInstanceOf(IllegalStateException.class)
          .hasMessage("hcloud.token (env HCLOUD_TOKEN) is not set: the Hetzner API needs a token");
    }
  }

  @Test
  void theEndpointDefaultsToThePublicApi() {
    HcloudConfig c = HcloudClientProducer.config(" ", Optional.of("t0ken"));
    assertThat(c.endpoint()).isEqualTo(HcloudConfig.DEFAULT_ENDPOINT);
    assertThat(c.token()).isEqualTo("t0ken");
    assertThat(c.toString()).doesNotContain("t0ken");
  }

  @Test
  void theTokenIsTrimmedAndTheEndpointChecked() {
    assertThat(HcloudClientProducer.config("http://h/v1/", Optional.of(" t \n")).token())
        .isEqualTo("t");
    assertThatThrownBy(() -> HcloudClientProducer.config("ftp://h", Optional.of("t")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("http(s)");
  }
}
