package dev.goldsmith.registry.watchdog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.goldsmith.events.BuildFailed;
import dev.goldsmith.events.EventType;
import dev.goldsmith.registry.domain.BuildStatus;
import dev.goldsmith.registry.watchdog.StageDeadlines.Action;

class StageDeadlinesTest {
  private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");
  private static final Map<BuildStatus, Duration> BUDGETS =
      Map.of(
          BuildStatus.ACCEPTED, Duration.ofMinutes(20),
          BuildStatus.PROVISIONED, Duration.ofMinutes(40));

  private static StageDeadlines at(Instant now) {
    return new StageDeadlines(BUDGETS, 1, Clock.fixed(now, ZoneOffset.UTC));
  }

  @Test
  void deadlineIsTheStageStartPlusItsBudget() {
    assertThat(at(T0).deadline(BuildStatus.PROVISIONED, T0)).isEqualTo(T0.plusSeconds(40 * 60));
  }

  @Test
  void beforeTheDeadlineTheBuildWaits() {
    Instant deadline = T0.plusSeconds(60);
    assertThat(at(deadline.minusMillis(1)).decide(BuildStatus.PROVISIONED, 0, deadline))
        .isEqualTo(Action.WAIT);
  }

  @Test
  void firstExpiryReDrivesTheStage() {
    Instant deadline = T0.plusSeconds(60);
    assertThat(at(deadline).decide(BuildStatus.PROVISIONED, 0, deadline)).isEqualTo(Action.REDRIVE);
  }

  @Test
  void expiryAfterTheReDrivesFailsTheBuild() {
    Instant deadline = T0.plusSeconds(60);
    assertThat(at(deadline.plusSeconds(1)).decide(BuildStatus.PROVISIONED, 1, deadline))
        .isEqualTo(Action.FAIL);
  }

  @Test
  void withoutReDrivesTheFirstExpiryFails() {
    StageDeadlines none = new StageDeadlines(BUDGETS, 0, Clock.fixed(T0, ZoneOffset.UTC));
    assertThat(none.decide(BuildStatus.ACCEPTED, 0, T0)).isEqualTo(Action.FAIL);
  }

  @Test
  void unwatchedStatusesWait() {
    assertThat(at(T0.plusSeconds(99999)).decide(BuildStatus.SNAPSHOTTED, 5, T0))
        .isEqualTo(Action.WAIT);
    assertThat(at(T0).budget(BuildStatus.PROMOTED)).isEmpty();
  }

  @Test
  void terminalStatusesAndNonPositiveBudgetsAreRefused() {
    Clock c = Clock.fixed(T0, ZoneOffset.UTC);
    assertThatThrownBy(
            () -> new StageDeadlines(Map.of(BuildStatus.FAILED, Duration.ofMinutes(1)), 1, c))
        .hasMessageContaining("FAILED");
    assertThatThrownBy(() -> new StageDeadlines(Map.of(BuildStatus.ACCEPTED, Duration.ZERO), 1, c))
        .hasMessageContaining("ACCEPTED");
    assertThatThrownBy(() -> new StageDeadlines(BUDGETS, -1, c)).hasMessageContaining("-1");
  }

  @Test
  void eachStatusWaitsForItsStageAndIsStartedByThePreviousStagesLastEvent() {
    assertThat(StageDeadlines.stageOf(BuildStatus.ACCEPTED)).isEqualTo(BuildFailed.Stage.PROVISION);
    assertThat(StageDeadlines.stageOf(BuildStatus.PROVISIONED))
        .isEqualTo(BuildFailed.Stage.CONFIGURE);
    assertThat(StageDeadlines.stageOf(BuildStatus.CONFIGURED))
        .isEqualTo(BuildFailed.Stage.SNAPSHOT);
    assertThat(StageDeadlines.stageOf(BuildStatus.SNAPSHOTTED)).isEqualTo(BuildFailed.Stage.VERIFY);
    assertThat(StageDeadlines.startingEvent(BuildStatus.ACCEPTED))
        .isEqualTo(EventType.BUILD_ACCEPTED);
    assertThat(StageDeadlines.startingEvent(BuildStatus.PROVISIONED))
        .isEqualTo(EventType.BUILDER_READY);
    assertThat(StageDeadlines.startingEvent(BuildStatus.CONFIGURED))
        .isEqualTo(EventType.BUILDER_CONFIGURED);
    assertThat(StageDeadlines.startingEvent(BuildStatus.SNAPSHOTTED))
        .isEqualTo(EventType.SNAPSHOT_CREATED);
    assertThatThrownBy(() -> StageDeadlines.stageOf(BuildStatus.PROMOTED))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
