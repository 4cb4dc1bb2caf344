package dev.goldsmith.configurator.ansible;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;

class PlaybookReportTest {

  /** Recorded with the goldsmith_events plugin from fixtures/failed-run.playbook.yml. */
  private static PlaybookReport fixture() throws Exception {
    return PlaybookReport.parse(
        Files.readAllLines(
            Path.of(
                PlaybookReportTest.class
                    .getResource("/fixtures/failed-run.events.jsonl")
                    .toURI())));
  }

  @Test
  void failedRunNamesTheFailedTaskAndItsMessage() throws Exception {
    PlaybookReport report = fixture();

    var fatal = report.firstFatal().orElseThrow();
    assertThat(fatal.task()).isEqualTo("Fail deliberately");
    assertThat(fatal.message()).isEqualTo("deliberate failure for the fixture");
    assertThat(fatal.host()).isEqualTo("localhost");
    assertThat(report.cleanRecap()).isFalse();
  }

  @Test
  void failedRunCountsOkChangedSkippedPerTask() throws Exception {
    PlaybookReport report = fixture();

    assertThat(report.results())
        .extracting(PlaybookReport.TaskResult::task, PlaybookReport.TaskResult::status)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("Say hello", "ok"),
            org.assertj.core.groups.Tuple.tuple("Touch a file", "changed"),
            org.assertj.core.groups.Tuple.tuple("Skip me", "skipped"),
            org.assertj.core.groups.Tuple.tuple("Fail deliberately", "failed"));
    assertThat(report.changedCount()).isEqualTo(1);
    assertThat(report.stats().get("localhost"))
        .isEqualTo(new PlaybookReport.HostStats(2, 1, 1, 0, 1, 0, 0));
  }

  @Test
  void ignoredFailuresDoNotFailTheRun() {
    PlaybookReport report =
        PlaybookReport.parse(
            List.of(
                "{\"event\":\"task_start\",\"task\":\"Probe\"}",
                "{\"event\":\"result\",\"status\":\"failed\",\"task\":\"Probe\",\"host\":\"b\","
                    + "\"ignored\":true,\"msg\":\"nope\"}"));
    assertThat(report.firstFatal()).isEmpty();
  }

  @Test
  void cutOffLastLineOfAKilledRunIsSkippedAndTheRunningTaskKnown() {
    PlaybookReport report =
        PlaybookReport.parse(
            List.of(
                "{\"event\":\"task_start\",\"task\":\"Install packages\"}",
                "{\"event\":\"result\",\"status\":\"chan"));
    assertThat(report.results()).isEmpty();
    assertThat(report.lastStartedTask()).isEqualTo("Install packages");
    assertThat(report.stats()).isEmpty();
  }
}
