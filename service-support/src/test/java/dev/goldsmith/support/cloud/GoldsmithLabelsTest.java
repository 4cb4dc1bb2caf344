package dev.goldsmith.support.cloud;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.goldsmith.events.BuildSpec;
import dev.goldsmith.events.NetworkMode;
import dev.goldsmith.events.Provenance;
import dev.goldsmith.events.VerificationMatrix;
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
          GoldsmithLabels.PROMOTED,
          GoldsmithLabels.SOURCE_IMAGE,
          GoldsmithLabels.SERVER_TYPE,
          GoldsmithLabels.LOCATION,
          GoldsmithLabels.ANSIBLE_REV,
          GoldsmithLabels.ROLES_SHA256,
          GoldsmithLabels.VARS_SHA256,
          GoldsmithLabels.REPORT_SHA256
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

  private static final String ROLES =
      "4d2c9a0e7b1f3c5a8e6d4b2a0f9e7c5b3a1d8f6e4c2b0a9e7d5c3b1a0f8e6d4c";
  private static final String VARS =
      "e3b7a1c9d5f2e8b4a6c0d2f4e6a8b0c2d4e6f8a0b2c4d6e8f0a2b4c6d8e0f2a4";
  private static final String REPORT =
      "9b1e5c0f3a7d2e4b6c8a0f1e3d5b7a9c2e4f6a8b0c1d3e5f7a9b2c4d6e8f0a1b";

  private static BuildSpec spec(String serverType, String location) {
    return new BuildSpec(
        "base",
        "20261125-v1",
        "debian-12",
        serverType,
        location,
        "golden-image.yml",
        Map.of(),
        new VerificationMatrix(List.of(), null),
        NetworkMode.IPV4,
        0,
        "inst-1");
  }

  @Test
  void theSnapshotCarriesItsProvenanceShortenedToFitHetznersRules() {
    Provenance p =
        new Provenance(
            114690387L,
            "debian-12",
            "c61c3a77114f603189b12fdf86c96583e3bb5fc2",
            true,
            ROLES,
            VARS,
            null);
    Map<String, String> l = GoldsmithLabels.snapshot(BUILD, spec("cx23", "fsn1"), 114690387L, p);
    assertThat(l)
        .containsEntry("goldsmith.dev/managed", "true")
        .containsEntry("goldsmith.dev/installation", "inst-1")
        .containsEntry("goldsmith.dev/state", "candidate")
        .containsEntry("goldsmith.dev/base-image", "114690387")
        .containsEntry("goldsmith.dev/source-image", "debian-12")
        .containsEntry("goldsmith.dev/server-type", "cx23")
        .containsEntry("goldsmith.dev/location", "fsn1")
        .containsEntry("goldsmith.dev/ansible-rev", "c61c3a77114f-dirty")
        .containsEntry("goldsmith.dev/roles-sha256", ROLES.substring(0, 63))
        .containsEntry("goldsmith.dev/vars-sha256", VARS.substring(0, 63))
        .doesNotContainKey("goldsmith.dev/report-sha256");
    Labels.validate(l);

    Map<String, String> verified = GoldsmithLabels.withReport(GoldsmithLabels.promoted(l), REPORT);
    assertThat(verified)
        .containsAllEntriesOf(GoldsmithLabels.promoted(l))
        .containsEntry("goldsmith.dev/report-sha256", REPORT.substring(0, 63));
    Labels.validate(verified);
  }

  @Test
  void withoutProvenanceOrWithAnUnknownRevisionTheLabelsSaySo() {
    Map<String, String> none = GoldsmithLabels.snapshot(BUILD, spec("cx23", "fsn1"), 7L, null);
    assertThat(none)
        .containsEntry("goldsmith.dev/server-type", "cx23")
        .doesNotContainKeys("goldsmith.dev/ansible-rev", "goldsmith.dev/roles-sha256");
    Provenance unknown = Provenance.configured("unknown", null, ROLES, VARS);
    assertThat(GoldsmithLabels.provenance(spec("cx23", "fsn1"), unknown))
        .containsEntry("goldsmith.dev/ansible-rev", "unknown");
    assertThat(GoldsmithLabels.shortRevision(null, true)).isEqualTo("unknown");
  }

  @Test
  void hostileAndLongValuesBecomeValidLabelValues() {
    String[] hostile = {
      "debian 12 (bookworm) / custom!",
      "-leading-and-trailing-",
      "x".repeat(300),
      "a" + "-".repeat(70) + "b",
      "ünïcödé-image",
      "name\nwith\nnewlines\u0000",
      "___",
      "",
      "${jndi:ldap://x}",
      "ok.name_1-2"
    };
    for (String raw : hostile) {
      String v = GoldsmithLabels.labelValue(raw);
      assertThat(Labels.checkValue(v)).as("%s -> %s", raw, v).isEmpty();
      assertThat(v.length()).isLessThanOrEqualTo(63);
      Provenance p = new Provenance(1L, raw, null, null, null, null, null);
      Map<String, String> l =
          GoldsmithLabels.snapshot(BUILD, spec(raw.isEmpty() ? "cx23" : raw, raw + raw), 1L, p);
      Labels.validate(l);
    }
    assertThat(GoldsmithLabels.labelValue("ok.name_1-2")).isEqualTo("ok.name_1-2");
    assertThat(GoldsmithLabels.labelValue("debian 12")).isEqualTo("debian_12");
    assertThat(GoldsmithLabels.labelValue("-x-")).isEqualTo("x");
    assertThat(GoldsmithLabels.labelValue("___")).isEmpty();
    assertThat(
            GoldsmithLabels.snapshot(
                BUILD, spec("cx23", "fsn1"), 1L, Provenance.withSourceImage(null, 1L, "___")))
        .doesNotContainKey("goldsmith.dev/source-image");
  }
}
