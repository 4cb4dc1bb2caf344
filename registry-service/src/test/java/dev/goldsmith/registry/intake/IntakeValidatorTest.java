package dev.goldsmith.registry.intake;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.goldsmith.events.BuildOverrides;
import dev.goldsmith.events.BuildRequested;
import dev.goldsmith.families.Family;
import dev.goldsmith.families.FamilyLoader;
import dev.goldsmith.families.RoleSpecs;

/** The pure intake rules, without database, broker or cloud. */
class IntakeValidatorTest {
  private static final Map<String, Family> FAMILIES =
      // The test families' overridable variables are typed by the real roles (as in %test).
      FamilyLoader.loadDirectory(
          Path.of("src/test/resources/families"), RoleSpecs.load(Path.of("../ansible/roles")));

  private static BuildRequested request(String family, BuildOverrides overrides) {
    return new BuildRequested(UUID.randomUUID(), family, overrides, "tests", Instant.now());
  }

  @Test
  void validRequestResolvesItsSpecWithoutErrors() {
    IntakeValidator.Result r =
        IntakeValidator.validate(
            request(
                "reg-intake",
                new BuildOverrides(null, null, null, "nbg1", null, Map.of("motd", "hi"))),
            FAMILIES);
    assertThat(r.errors()).isEmpty();
    assertThat(r.family().name()).isEqualTo("reg-intake");
    assertThat(r.spec().location()).isEqualTo("nbg1");
    assertThat(r.spec().extraVars()).containsEntry("motd", "hi");
  }

  @Test
  void unknownFamilyNamesTheKnownOnes() {
    IntakeValidator.Result r = IntakeValidator.validate(request("nope", null), FAMILIES);
    assertThat(r.family()).isNull();
    assertThat(r.errors())
        .singleElement()
        .asString()
        .contains("'nope' is not defined", "reg-intake");
  }

  @Test
  void everyProblemIsReportedAtOnce() {
    IntakeValidator.Result r =
        IntakeValidator.validate(
            request(
                "reg-intake",
                new BuildOverrides(
                    null, null, null, null, null, Map.of("ansible_user", "root", "bad-name", 1))),
            FAMILIES);
    assertThat(r.errors())
        .anyMatch(e -> e.contains("extraVars.ansible_user"))
        .anyMatch(e -> e.contains("bad-name"));
  }

  @Test
  void payloadSizeIsCountedInUtf8Bytes() {
    assertThat(IntakeValidator.payloadSize("ä".repeat(6), 10))
        .get()
        .asString()
        .contains("12 bytes");
    assertThat(IntakeValidator.payloadSize("abc", 10)).isEmpty();
    assertThat(IntakeValidator.payloadSize(null, 10)).isEmpty();
  }
}
