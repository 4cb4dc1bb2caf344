package dev.goldsmith.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

import dev.goldsmith.events.ImagePromoted;
import dev.goldsmith.events.Topics;
import dev.goldsmith.events.Verdict;
import dev.goldsmith.registry.domain.CloudTask;
import dev.goldsmith.registry.domain.CloudTaskRepository;
import dev.goldsmith.registry.promotion.CloudTaskRunner;
import dev.goldsmith.registry.promotion.PromotionService;

/**
 * The process "dies" right after the promotion's commit: tasks do not run after commits and the
 * schedule is an hour away, exactly as if nothing had run before a restart. Running the resumer
 * (what startup does) must finish the promotion.
 */
@QuarkusTest
@TestProfile(CrashRecoveryIT.NoCloudWorkAfterCommit.class)
class CrashRecoveryIT extends RegistryTestSupport {

  /** Tasks wait for the resumer, which the test runs itself (as the first run after startup). */
  public static class NoCloudWorkAfterCommit implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of(
          "goldsmith.registry.tasks.run-after-commit", "false",
          "goldsmith.registry.tasks.resume-interval", "1h",
          "goldsmith.registry.tasks.startup-delay", "1h");
    }
  }

  @Inject PromotionService promotions;
  @Inject CloudTaskRunner runner;
  @Inject CloudTaskRepository tasks;

  @Test
  void resumerFinishesAPromotionCommittedBeforeACrash() {
    Candidate first = candidate("reg-crash");
    commitVerdictOnly(first);
    assertThat(runner.runPending()).isEqualTo(1);
    assertThat(image(first.imageId()).orElseThrow().protection().delete()).isTrue();

    Candidate second = candidate("reg-crash");
    commitVerdictOnly(second);

    // Committed, but nothing happened on Hetzner yet.
    assertThat(status(second.buildId())).isEqualTo("PROMOTED");
    CloudTask pending =
        QuarkusTransaction.requiringNew()
            .call(() -> tasks.find("buildId", second.buildId()).singleResult());
    assertThat(pending.step).isEqualTo(CloudTask.Step.PROTECT);
    assertThat(image(second.imageId()).orElseThrow().protection().delete()).isFalse();
    assertThat(image(second.imageId()).orElseThrow().labels())
        .doesNotContainKey("goldsmith.dev/promoted");
    assertThat(image(first.imageId())).isPresent();

    // "Restart": the resumer runs what the dead process left.
    assertThat(runner.runPending()).isEqualTo(1);

    assertThat(image(second.imageId()).orElseThrow().protection().delete()).isTrue();
    assertThat(image(second.imageId()).orElseThrow().labels())
        .containsEntry("goldsmith.dev/promoted", "true");
    assertThat(image(first.imageId())).isEmpty();
    assertThat(
            QuarkusTransaction.requiringNew()
                .call(() -> tasks.find("buildId", second.buildId()).singleResult().step))
        .isEqualTo(CloudTask.Step.DONE);
    ImagePromoted promoted =
        awaitEvent(Topics.IMAGE_PROMOTED, second.buildId(), ImagePromoted.class);
    assertThat(promoted.previousImageId()).isEqualTo(first.imageId());
    // Running again finds nothing left to do.
    assertThat(runner.runPending()).isZero();
  }

  private void commitVerdictOnly(Candidate c) {
    QuarkusTransaction.requiringNew()
        .run(() -> promotions.onVerification(verdict(c, Verdict.PASSED)));
  }
}
