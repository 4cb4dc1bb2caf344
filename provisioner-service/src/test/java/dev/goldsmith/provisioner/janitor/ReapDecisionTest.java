package dev.goldsmith.provisioner.janitor;

import static dev.goldsmith.provisioner.janitor.ReapDecision.Verdict.KEEP;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Optional;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The janitor's decision table: registry knowledge × age vs TTL (and the in-memory accelerator).
 */
class ReapDecisionTest {
  static final Optional<Duration> TTL = Optional.of(Duration.ofMinutes(60));
  static final Optional<Duration> YOUNG = Optional.of(Duration.ofMinutes(59));
  static final Optional<Duration> OLD = Optional.of(Duration.ofMinutes(61));

  @ParameterizedTest(name = "{0} memoryTerminal={1} old={2} -> {3}")
  @CsvSource({
    // registry, known terminal in memory, older than the TTL, verdict
    "ACTIVE,      false, false, KEEP",
    "ACTIVE,      false, true,  KEEP",
    "TERMINAL,    false, false, REAP_TERMINAL",
    "TERMINAL,    false, true,  REAP_TERMINAL",
    "UNKNOWN,     false, false, KEEP",
    "UNKNOWN,     false, true,  REAP_TTL",
    "UNAVAILABLE, false, false, KEEP",
    "UNAVAILABLE, false, true,  KEEP",
    // the accelerator: a build this process saw end is terminal whatever the registry lookup gave
    "UNAVAILABLE, true,  false, REAP_TERMINAL",
    "UNKNOWN,     true,  false, REAP_TERMINAL",
  })
  void resourceOfABuild(
      BuildKnowledge registry, boolean knownTerminal, boolean old, ReapDecision.Verdict expected) {
    assertThat(ReapDecision.decide(true, knownTerminal, registry, old ? OLD : YOUNG, TTL))
        .isEqualTo(expected);
  }

  @ParameterizedTest(name = "no build id, old={0} -> {1}")
  @CsvSource({"false, KEEP", "true, REAP_TTL"})
  void resourceWithoutABuildIdGoesByAgeAlone(boolean old, ReapDecision.Verdict expected) {
    assertThat(ReapDecision.decide(false, false, null, old ? OLD : YOUNG, TTL)).isEqualTo(expected);
  }

  @ParameterizedTest(name = "unknown build, age={0} ttl={1} -> KEEP")
  @CsvSource({"true, false", "false, true"})
  void withoutAnAgeOrATtlNothingIsReapedByAge(boolean hasAge, boolean hasTtl) {
    assertThat(
            ReapDecision.decide(
                true,
                false,
                BuildKnowledge.UNKNOWN,
                hasAge ? OLD : Optional.empty(),
                hasTtl ? TTL : Optional.empty()))
        .isEqualTo(KEEP);
  }

  @ParameterizedTest(name = "status {0} -> {1}")
  @CsvSource({
    "ACCEPTED, ACTIVE",
    "PROVISIONED, ACTIVE",
    "CONFIGURED, ACTIVE",
    "SNAPSHOTTED, ACTIVE",
    "PROMOTED, TERMINAL",
    "VERIFIED, TERMINAL",
    "DEFECTIVE, TERMINAL",
    "UNVERIFIED, TERMINAL",
    "FAILED, TERMINAL",
    "REJECTED, TERMINAL",
    "SOMETHING_NEW, ACTIVE"
  })
  void registryStatuses(String status, BuildKnowledge expected) {
    assertThat(BuildKnowledge.ofStatus(status)).isEqualTo(expected);
  }
}
