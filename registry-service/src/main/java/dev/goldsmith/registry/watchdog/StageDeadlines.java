package dev.goldsmith.registry.watchdog;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;

import dev.goldsmith.events.BuildFailed;
import dev.goldsmith.events.EventType;
import dev.goldsmith.registry.domain.BuildStatus;

/**
 * The deadline rule, pure (an injected {@link Clock}, no database): each non-terminal build status
 * is a stage with a budget; a stage past its deadline is re-driven up to {@code redrives} times
 * (the deadline starts again), after that the build fails with reason {@code deadline}.
 */
public final class StageDeadlines {
  /** What to do with a watched build now. */
  public enum Action {
    /** The deadline has not passed (or the build is not in a watched stage). */
    WAIT,
    /** Re-publish the event that starts the stage. */
    REDRIVE,
    /** End the build FAILED, stage and reason {@code deadline}. */
    FAIL
  }

  private final Map<BuildStatus, Duration> budgets;
  private final int redrives;
  private final Clock clock;

  /**
   * @param budgets the budget of each watched status; statuses without one are not watched
   * @param redrives how often a stage is re-driven before the build fails
   */
  public StageDeadlines(Map<BuildStatus, Duration> budgets, int redrives, Clock clock) {
    if (redrives < 0) {
      throw new IllegalArgumentException("redrives must be >= 0, got " + redrives);
    }
    budgets.forEach(
        (status, budget) -> {
          if (!status.inProgress() || budget.isNegative() || budget.isZero()) {
            throw new IllegalArgumentException(
                "a deadline needs a non-terminal status and a positive budget: " + status);
          }
        });
    this.budgets = new EnumMap<>(budgets);
    this.redrives = redrives;
    this.clock = clock;
  }

  /** The budget of a status, if it is watched. */
  public Optional<Duration> budget(BuildStatus status) {
    return Optional.ofNullable(budgets.get(status));
  }

  /** The deadline of a stage (re-)started at {@code from}. */
  public Instant deadline(BuildStatus status, Instant from) {
    return from.plus(budget(status).orElseThrow());
  }

  /**
   * What to do now with a build in {@code status}, re-driven {@code done} times, due at {@code
   * deadline}.
   */
  public Action decide(BuildStatus status, int done, Instant deadline) {
    if (!budgets.containsKey(status) || clock.instant().isBefore(deadline)) {
      return Action.WAIT;
    }
    return done < redrives ? Action.REDRIVE : Action.FAIL;
  }

  /** The stage a build in {@code status} is waiting for, as BuildFailed names it. */
  public static BuildFailed.Stage stageOf(BuildStatus status) {
    return switch (status) {
      case ACCEPTED -> BuildFailed.Stage.PROVISION;
      case PROVISIONED -> BuildFailed.Stage.CONFIGURE;
      case CONFIGURED -> BuildFailed.Stage.SNAPSHOT;
      case SNAPSHOTTED -> BuildFailed.Stage.VERIFY;
      default -> throw new IllegalArgumentException("no stage runs for a " + status + " build");
    };
  }

  /** The event that starts the stage a build in {@code status} is waiting for. */
  public static EventType startingEvent(BuildStatus status) {
    return switch (status) {
      case ACCEPTED -> EventType.BUILD_ACCEPTED;
      case PROVISIONED -> EventType.BUILDER_READY;
      case CONFIGURED -> EventType.BUILDER_CONFIGURED;
      case SNAPSHOTTED -> EventType.SNAPSHOT_CREATED;
      default -> throw new IllegalArgumentException("no stage runs for a " + status + " build");
    };
  }
}
