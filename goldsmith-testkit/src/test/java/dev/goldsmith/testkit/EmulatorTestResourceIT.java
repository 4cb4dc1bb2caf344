package dev.goldsmith.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;

/**
 * The lifecycle manager outside Quarkus: start gives the two config keys, stop ends the process.
 */
class EmulatorTestResourceIT {

  @Test
  void startGivesEndpointAndTokenAndStopEndsTheProcess() {
    EmulatorTestResource resource = new EmulatorTestResource();
    resource.init(Map.of("backend", "virtual", "emulator.rate-limit.limit", "7"));
    Map<String, String> config = resource.start();
    try {
      assertThat(config).containsOnlyKeys("hcloud.endpoint", "hcloud.token");
      EmulatorProcess e = resource.emulator();
      assertThat(config.get("hcloud.endpoint")).isEqualTo(e.endpoint());
      assertThat(config.get("hcloud.token")).isEqualTo(e.token());
      assertThat(e.control().rateLimit(Map.of()).get("limit")).isEqualTo(7);
    } finally {
      long pid = resource.emulator().pid();
      resource.stop();
      assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
    }
  }
}
