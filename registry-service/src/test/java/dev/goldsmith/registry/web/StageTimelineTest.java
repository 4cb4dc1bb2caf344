package dev.goldsmith.registry.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.goldsmith.events.VerificationReport.BinaryResult;
import dev.goldsmith.registry.api.Views;

class StageTimelineTest {
  private static final Instant T0 = Instant.parse("2026-11-25T10:00:00Z");

  private static Views.TimelineEntry at(long seconds, String type, String stage, String outcome) {
    return new Views.TimelineEntry(type, stage, outcome, T0.plusSeconds(seconds), null, null);
  }

  @Test
  void barsAreSharesOfTheBuildUpToItsFirstPromotion() {
    List<Views.TimelineEntry> entries =
        List.of(
            at(0, "BUILD_REQUESTED", "intake", "requested"),
            at(2, "BUILD_ACCEPTED", "intake", "accepted"),
            at(10, "BUILDER_READY", "provision", "ready"),
            at(70, "BUILDER_CONFIGURED", "configure", "ok"),
            at(75, "WATCHDOG_REDRIVE", "snapshot", "re-driven"),
            at(80, "SNAPSHOT_CREATED", "snapshot", "created"),
            at(95, "VERIFICATION_FINISHED", "verify", "passed"),
            at(100, "IMAGE_PROMOTED", "promote", "promoted"),
            // Weeks later: an operator's rollback does not stretch the build's axis.
            at(3_000_000, "OPERATOR_PROMOTE", "promote", "promoted by ops"),
            at(3_000_001, "IMAGE_PROMOTED", "promote", "promoted by ops: why"));
    StageTimeline t = StageTimeline.of(entries);
    assertThat(t.totalMs()).isEqualTo(100_000);
    assertThat(t.start()).isEqualTo(T0);
    assertThat(t.bars())
        .extracting(
            StageTimeline.Bar::stage, StageTimeline.Bar::offsetMs, StageTimeline.Bar::durationMs)
        .containsExactly(
            tuple("intake", 0L, 2_000L),
            tuple("provision", 2_000L, 8_000L),
            tuple("configure", 10_000L, 60_000L),
            tuple("snapshot", 70_000L, 10_000L),
            tuple("verify", 80_000L, 15_000L),
            tuple("promote", 95_000L, 5_000L));
    StageTimeline.Bar configure = t.bars().get(2);
    assertThat(configure.xAttr()).isEqualTo("100.00");
    assertThat(configure.widthAttr()).isEqualTo("600.00");
    assertThat(configure.took()).isEqualTo("1 min 0 s");
    assertThat(t.bars()).noneMatch(StageTimeline.Bar::failed);
    assertThat(t.bars().stream().mapToDouble(StageTimeline.Bar::width).sum())
        .isEqualTo(StageTimeline.SCALE);
  }

  @Test
  void aFailedBuildEndsAtItsFailureAndIsDrawnRed() {
    StageTimeline t =
        StageTimeline.of(
            List.of(
                // Any order in, time order out.
                at(30, "BUILD_FAILED", "verify", "failed:artifact_defect"),
                at(0, "BUILD_ACCEPTED", "intake", "accepted"),
                at(20, "VERIFICATION_FINISHED", "verify", "artifact_defect"),
                at(40, "BUILDER_READY", "provision", "ready")));
    assertThat(t.bars())
        .extracting(StageTimeline.Bar::eventType, StageTimeline.Bar::failed)
        .containsExactly(tuple("VERIFICATION_FINISHED", true), tuple("BUILD_FAILED", true));
    assertThat(t.totalMs()).isEqualTo(30_000);
    assertThat(t.bars().get(1).widthAttr()).isEqualTo("333.33");
  }

  @Test
  void nothingOrOneEventDrawsNoBar() {
    assertThat(StageTimeline.of(List.of()).bars()).isEmpty();
    StageTimeline one = StageTimeline.of(List.of(at(0, "BUILD_REJECTED", "intake", "rejected")));
    assertThat(one.bars()).isEmpty();
    assertThat(one.totalMs()).isZero();
    StageTimeline same =
        StageTimeline.of(
            List.of(
                at(0, "BUILD_REQUESTED", "intake", "requested"),
                at(0, "BUILD_ACCEPTED", "intake", "accepted")));
    assertThat(same.bars()).singleElement().extracting(StageTimeline.Bar::width).isEqualTo(0.0);
  }

  @Test
  void matrixHasAColumnPerBinaryAndEmptyCellsWhereAUserIsNotAsked() {
    Matrix m =
        Matrix.of(
            List.of(
                new BinaryResult("root", "jq", "/usr/bin/jq", "jq-1.6", 0, 5, true, null),
                new BinaryResult("root", "vault", null, null, null, 0, false, "not found"),
                new BinaryResult("admin", "jq", "/usr/bin/jq", "jq-1.6", 0, 5, true, null)));
    assertThat(m.binaries()).containsExactly("jq", "vault");
    assertThat(m.rows()).extracting(Matrix.Row::user).containsExactly("root", "admin");
    assertThat(m.rows().get(1).cells())
        .extracting(Matrix.Cell::checked)
        .containsExactly(true, false);
    assertThat(m.failures()).extracting(BinaryResult::detail).containsExactly("not found");
    assertThat(m.checked()).isEqualTo(3);
    assertThat(Matrix.of(List.of()).empty()).isTrue();
  }
}
