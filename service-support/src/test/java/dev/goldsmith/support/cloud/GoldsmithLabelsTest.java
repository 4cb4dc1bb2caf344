package dev.goldsmith.support.cloud;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.goldsmith.hcloud.label.Labels;

class GoldsmithLabelsTest {
  private static final UUID BUILD = UUID.fromString("5f0c8c4e-2a57-4c1e-9a43-0d7b1a3e9c11");
  private static final Instant NOW = Instant.ofEpochSecond(1_764_000_000L);

  @Test
  void testServersCarryTheKeysTheJanitorReads() {
    Map<String, String> l = GoldsmithLabels.testServer(BUILD, "base", "v1", 2, NOW);
    assertThat(l)
        .containsEntry("goldsmith.dev/managed", "true")
        .containsEntry("goldsmith.dev/build-id", BUILD.toString())
        .containsEntry("goldsmith.dev/family", "base")
        .containsEntry("goldsmith.dev/version", "v1")
        .containsEntry("goldsmith.dev/role", "test")
        .containsEntry("goldsmith.dev/created-at", "1764000000")
        .containsEntry("goldsmith.dev/attempt", "2");
    assertThat(GoldsmithLabels.isManaged(l)).isTrue();
    assertThat(GoldsmithLabels.buildId(l)).contains(BUILD);
    assertThat(GoldsmithLabels.createdAt(l)).contains(NOW);
  }

  @Test
  void everyKeyIsAValidHetznerLabelKey() {
    for (String key :
        new String[] {
          GoldsmithLabels.MANAGED,
          GoldsmithLabels.BUILD_ID,
          GoldsmithLabels.FAMILY,
          GoldsmithLabels.VERSION,
          GoldsmithLabels.ROLE,
          GoldsmithLabels.CREATED_AT,
          GoldsmithLabels.ATTEMPT,
          GoldsmithLabels.STATE,
          GoldsmithLabels.BASE_IMAGE,
          GoldsmithLabels.PROMOTED
        }) {
      assertThat(Labels.checkKey(key)).as(key).isEmpty();
      assertThat(key).startsWith("goldsmith.dev/");
    }
  }

  @Test
  void promotionSetsBothMarksAndKeepsTheRest() {
    Map<String, String> l = GoldsmithLabels.promoted(Map.of("goldsmith.dev/family", "base"));
    assertThat(GoldsmithLabels.isPromoted(l)).isTrue();
    assertThat(l).containsEntry("goldsmith.dev/family", "base");
    assertThat(GoldsmithLabels.isPromoted(Map.of("goldsmith.dev/promoted", "true"))).isFalse();
  }

  @Test
  void serviceKeysAreManagedAndCarryTheRole() {
    assertThat(GoldsmithLabels.serviceKey(GoldsmithLabels.ROLE_CONFIGURATOR))
        .containsExactly(
            Map.entry("goldsmith.dev/managed", "true"),
            Map.entry("goldsmith.dev/role", "configurator"));
  }

  @Test
  void garbageLabelsReadAsAbsent() {
    Map<String, String> l =
        Map.of("goldsmith.dev/build-id", "nope", "goldsmith.dev/created-at", "yesterday");
    assertThat(GoldsmithLabels.buildId(l)).isEmpty();
    assertThat(GoldsmithLabels.createdAt(l)).isEmpty();
    assertThat(GoldsmithLabels.isManaged(Map.of())).isFalse();
  }

  @Test
  void builderNamesStayValidHostnames() {
    String name =
        GoldsmithLabels.builderName("gs", "A_Very_Long_Family_Name_" + "x".repeat(60), BUILD);
    assertThat(name).hasSizeLessThanOrEqualTo(63).matches("[a-z0-9]([a-z0-9-]*[a-z0-9])?");
    assertThat(name).startsWith("gs-a-very-long").endsWith(BUILD.toString());
  }
}
