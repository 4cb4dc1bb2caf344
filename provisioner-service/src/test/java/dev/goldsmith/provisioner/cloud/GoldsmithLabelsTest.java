package dev.goldsmith.provisioner.cloud;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.goldsmith.events.BuildSpec;
import dev.goldsmith.provisioner.flow.Events;
import dev.goldsmith.support.cloud.GoldsmithLabels;

class GoldsmithLabelsTest {
  private static final String RFC1123 = "^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$";

  @Test
  void builderAndSnapshotCarryManagedAndTheSpecsInstallationId() {
    BuildSpec spec = Events.spec().withInstallationId("inst-1");
    UUID id = UUID.randomUUID();
    assertThat(GoldsmithLabels.builder(id, spec, Instant.EPOCH))
        .containsEntry(GoldsmithLabels.MANAGED, "true")
        .containsEntry(GoldsmithLabels.INSTALLATION, "inst-1");
    assertThat(GoldsmithLabels.snapshot(id, spec, 7L))
        .containsEntry(GoldsmithLabels.MANAGED, "true")
        .containsEntry(GoldsmithLabels.INSTALLATION, "inst-1");
    assertThat(GoldsmithLabels.snapshot(id, Events.spec(), 7L))
        .doesNotContainKey(GoldsmithLabels.INSTALLATION);
  }

  @Test
  void builderNameKeepsPrefixFamilyAndTheWholeBuildId() {
    UUID id = UUID.fromString("0b7e4f7e-1d2c-4c1e-9d0a-4f5e6a7b8c9d");

    String name = GoldsmithLabels.builderName("gs", "base", id);

    assertThat(name).isEqualTo("gs-base-0b7e4f7e-1d2c-4c1e-9d0a-4f5e6a7b8c9d");
    assertThat(name).matches(RFC1123);
  }

  @Test
  void longFamiliesAreShortenedToA63CharacterLabel() {
    UUID id = UUID.randomUUID();
    String family = "a-very-long-family-name-that-goes-on-and-on-x";

    String name = GoldsmithLabels.builderName("gs", family, id);

    assertThat(name).hasSizeLessThanOrEqualTo(63).matches(RFC1123).endsWith(id.toString());
    assertThat(name).startsWith("gs-a-very-long-family-name");
  }

  @Test
  void shortenedFamilyNeverLeavesADoubleHyphenBeforeTheId() {
    UUID id = UUID.randomUUID();
    // 23 characters of family fit; the 23rd is a hyphen here
    String family = "abcdefghij-klmnopqrstu-vwxyz";

    String name = GoldsmithLabels.builderName("gs", family, id);

    assertThat(name).doesNotContain("--").matches(RFC1123).hasSizeLessThanOrEqualTo(63);
  }
}
