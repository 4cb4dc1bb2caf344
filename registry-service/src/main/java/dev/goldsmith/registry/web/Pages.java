package dev.goldsmith.registry.web;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import dev.goldsmith.events.VerificationReport;
import dev.goldsmith.registry.api.Problem;
import dev.goldsmith.registry.api.Views;

/** What the web view's templates are given. */
public final class Pages {
  private Pages() {}

  /** The builds list with its filters (blank when unset) and page links (null when none). */
  public record BuildsPage(
      Views.PageView<Views.BuildSummary> builds,
      String family,
      String status,
      String from,
      String to,
      int size,
      List<String> families,
      List<String> statuses,
      String previous,
      String next) {}

  /** A scalar setting of a build's spec. */
  public record Fact(String name, String value) {}

  /** One row of the event table. */
  public record EventRow(Instant at, String eventType, String stage, String outcome) {}

  /** A build: summary, spec, stages to scale, matrix, image checks, access audit, events. */
  public record BuildPage(
      Views.BuildSummary build,
      String failureStage,
      String failureReason,
      List<Fact> spec,
      StageTimeline timeline,
      String reportSummary,
      String addressFamily,
      Integer attempts,
      Matrix matrix,
      List<VerificationReport.CheckResult> checks,
      List<VerificationReport.AccessResult> access,
      List<EventRow> events) {}

  /**
   * Something an operator did to a version.
   *
   * @param action what, in words ("promoted by hand", "revoked", …)
   */
  public record OperatorAction(
      Instant at, String action, String actor, String reason, String version, UUID buildId) {}

  /** A family: settings, promoted image, rollbacks, revocations and its versions. */
  public record FamilyPage(
      Views.FamilyDetail family,
      List<OperatorAction> promotionsByHand,
      List<Views.VersionView> revocations,
      Views.PageView<Views.VersionView> versions,
      String previous,
      String next) {}

  /** The families with their promoted images. */
  public record FamiliesPage(List<Views.FamilySummary> families) {}

  /** An error: what was wrong, with each bad parameter. */
  public record ErrorPage(
      int status, String title, String detail, List<Problem.FieldProblem> errors) {}
}
