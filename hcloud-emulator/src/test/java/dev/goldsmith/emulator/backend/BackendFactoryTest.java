package dev.goldsmith.emulator.backend;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

class BackendFactoryTest {

  @Test
  void anEmulatorWithInMemoryStateStartsItsHostsClean() {
    assertThat(BackendFactory.withReclaimDefault(new HashMap<>(), false))
        .containsEntry("reclaim", "false");
  }

  @Test
  void anEmulatorWithAStateFileReclaimsItsHosts() {
    assertThat(BackendFactory.withReclaimDefault(new HashMap<>(), true))
        .containsEntry("reclaim", "true");
  }

  @Test
  void anExplicitReclaimSettingWins() {
    assertThat(BackendFactory.withReclaimDefault(new HashMap<>(Map.of("reclaim", "true")), false))
        .containsEntry("reclaim", "true");
  }
}
