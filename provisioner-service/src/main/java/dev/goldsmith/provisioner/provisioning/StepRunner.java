package dev.goldsmith.provisioner.provisioning;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;

import dev.goldsmith.support.messaging.BuildMdc;
import dev.goldsmith.support.messaging.Failure;
import dev.goldsmith.support.messaging.Failures;

/**
 * Runs steps in order and records each one started. It stops at the first halt or failure, or when
 * a step marks the run skipped, and then, in every case, calls {@link Step#cleanup} of every
 * started step in reverse order. Each cleanup has its own deadline; a cleanup failure is logged at
 * WARN and never rethrown, so the others still run.
 *
 * <p>Two kinds of failure do not halt the build: a transient dependency failure (the cloud API
 * answering 5xx or unreachable, the broker unavailable: {@link Failures#classify} dependency {@code
 * cloud} or {@code broker}) and any failure while the process shuts down (and no step starts once
 * it does). The run is then <em>aborted</em>: no cleanup runs (the resources stay for the retried
 * or redelivered run, which finds them by label) and the returned Uni fails with {@link
 * RunAbortedException}, so the consumer policy retries the record in place or hands it back
 * un-acked. Nothing is published for an aborted run.
 */
public final class StepRunner {

  /** Told of every step's end: its name, {@code ok} or the halt's reason class, its duration. */
  @FunctionalInterface
  public interface StepObserver {
    void stepEnded(String step, String outcome, Duration duration);
  }

  private final Duration cleanupTimeout;
  private final StepObserver observer;
  private final BooleanSupplier stopping;

  public StepRunner(Duration cleanupTimeout) {
    this(cleanupTimeout, (step, outcome, duration) -> {});
  }

  public StepRunner(Duration cleanupTimeout, StepObserver observer) {
    this(cleanupTimeout, observer, () -> false);
  }

  /**
   * @param stopping true once the process shuts down: no further step starts, and a failure then
   *     aborts the run instead of halting the build
   */
  public StepRunner(Duration cleanupTimeout, StepObserver observer, BooleanSupplier stopping) {
    this.cleanupTimeout = cleanupTimeout;
    this.observer = observer;
    this.stopping = stopping;
  }

  /**
   * Runs {@code steps} on {@code run}; the result is the run (see {@link BuildRun#halt()}), or a
   * {@link RunAbortedException} failure when the run was aborted.
   */
  public Uni<BuildRun> run(List<? extends Step> steps, BuildRun run) {
    List<Step> started = new ArrayList<>();
    return runFrom(steps, 0, run, started)
        .onItemOrFailure()
        .transformToUni(
            (ignored, failure) -> {
              if (failure instanceof RunAbortedException aborted) {
                return Uni.createFrom().<BuildRun>failure(aborted);
              }
              if (failure != null) {
                // runFrom turns step failures into halts; anything left here is a runner bug.
                run.halt(HaltReasons.halt("internal_error", failure));
              }
              return cleanupReverse(started, started.size() - 1, run).replaceWith(run);
            });
  }

  private Uni<Void> runFrom(
      List<? extends Step> steps, int index, BuildRun run, List<Step> started) {
    if (index >= steps.size() || run.skipped()) {
      return Uni.createFrom().voidItem();
    }
    Step step = steps.get(index);
    if (stopping.getAsBoolean()) {
      return Uni.createFrom()
          .failure(
              new RunAbortedException(
                  "shutting down before step " + step.name() + " of build " + run.buildId(), null));
    }
    started.add(step);
    long t0 = System.nanoTime();
    Log.debugf("step started step=%s buildId=%s", step.name(), run.buildId());
    // Steps continue on Vert.x and worker threads after each cloud answer: every part of a step
    // runs with MDC buildId set again, so every line about the build carries it.
    String id = run.buildId().toString();
    return Uni.createFrom()
        .deferred(() -> BuildMdc.call(id, () -> step.run(run)))
        .onFailure()
        .transform(e -> abortOrKeep(step, run, e))
        .onFailure(e -> !(e instanceof RunAbortedException))
        .recoverWithItem(e -> HaltReasons.halt(step.name(), e))
        .chain(
            outcome ->
                BuildMdc.call(id, () -> afterStep(steps, index, run, started, step, outcome, t0)));
  }

  private Uni<Void> afterStep(
      List<? extends Step> steps,
      int index,
      BuildRun run,
      List<Step> started,
      Step step,
      StepOutcome outcome,
      long t0) {
    Duration took = Duration.ofNanos(System.nanoTime() - t0);
    long ms = took.toMillis();
    observer.stepEnded(
        step.name(),
        outcome == null || !outcome.proceeds()
            ? (outcome == null ? "internal_error" : outcome.reasonClass())
            : "ok",
        took);
    if (outcome == null || !outcome.proceeds()) {
      StepOutcome halt =
          outcome == null ? StepOutcome.halt("internal_error", "step returned nothing") : outcome;
      run.halt(halt);
      Log.warnf(
          "step halted step=%s buildId=%s reasonClass=%s durationMs=%d message=%s",
          step.name(), run.buildId(), halt.reasonClass(), ms, halt.message());
      return Uni.createFrom().voidItem();
    }
    Log.infof("step done step=%s buildId=%s durationMs=%d", step.name(), run.buildId(), ms);
    return runFrom(steps, index + 1, run, started);
  }

  /** A step failure that aborts the run (shutdown, transient dependency), else the failure. */
  private Throwable abortOrKeep(Step step, BuildRun run, Throwable e) {
    if (stopping.getAsBoolean()) {
      observer.stepEnded(step.name(), "aborted", Duration.ZERO);
      return new RunAbortedException(
          "step " + step.name() + " of build " + run.buildId() + " interrupted by shutdown", e);
    }
    Failure failure = Failures.classify(HaltReasons.unwrap(e));
    if (!failure.poison()
        && ("cloud".equals(failure.dependency()) || "broker".equals(failure.dependency()))) {
      observer.stepEnded(step.name(), "aborted", Duration.ZERO);
      return new RunAbortedException(
          "step "
              + step.name()
              + " of build "
              + run.buildId()
              + " hit a transient "
              + failure.dependency()
              + " failure: "
              + failure.summary(),
          e);
    }
    return e;
  }

  private Uni<Void> cleanupReverse(List<Step> started, int index, BuildRun run) {
    if (index < 0) {
      return Uni.createFrom().voidItem();
    }
    Step step = started.get(index);
    return Uni.createFrom()
        .deferred(() -> BuildMdc.call(run.buildId().toString(), () -> step.cleanup(run)))
        .ifNoItem()
        .after(cleanupTimeout)
        .failWith(
            () ->
                new java.util.concurrent.TimeoutException(
                    "cleanup took longer than " + cleanupTimeout))
        .onFailure()
        .recoverWithUni(
            e -> {
              Log.warnf(
                  "cleanup failed step=%s buildId=%s serverId=%s imageId=%s error=%s: delete manually"
                      + " (the janitor reaps managed servers)",
                  step.name(), run.buildId(), run.serverId(), run.imageId(), e.getMessage());
              return Uni.createFrom().voidItem();
            })
        .chain(() -> cleanupReverse(started, index - 1, run));
  }
}
