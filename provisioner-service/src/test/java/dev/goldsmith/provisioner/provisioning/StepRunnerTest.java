package dev.goldsmith.provisioner.provisioning;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

import org.junit.jupiter.api.Test;

import io.smallrye.mutiny.Uni;

import dev.goldsmith.events.BuildFailed;
import dev.goldsmith.events.BuildSpec;
import dev.goldsmith.events.ImageChecks;
import dev.goldsmith.events.NetworkMode;
import dev.goldsmith.events.VerificationMatrix;

class StepRunnerTest {

  private final List<String> journal = new CopyOnWriteArrayList<>();
  private final StepRunner runner = new StepRunner(Duration.ofMillis(500));

  private BuildRun newRun() {
    BuildSpec spec =
        new BuildSpec(
            "base",
            "20260101-v1",
            "debian-12",
            "cx23",
            "fsn1",
            "golden-image.yml",
            Map.of(),
            new VerificationMatrix(List.of(), new ImageChecks(List.of(), Map.of(), List.of())),
            NetworkMode.IPV4,
            1);
    return new BuildRun(UUID.randomUUID(), spec, BuildFailed.Stage.PROVISION);
  }

  /** A step that journals its run and cleanup; its run and cleanup are given. */
  private Step step(
      String name,
      Function<BuildRun, Uni<StepOutcome>> run,
      Function<BuildRun, Uni<Void>> cleanup) {
    return new Step() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public Uni<StepOutcome> run(BuildRun r) {
        journal.add("run:" + name);
        return run.apply(r);
      }

      @Override
      public Uni<Void> cleanup(BuildRun r) {
        journal.add("cleanup:" + name + (r.halted() ? ":halted" : ""));
        return cleanup.apply(r);
      }
    };
  }

  private Step ok(String name) {
    return step(
        name, r -> Uni.createFrom().item(StepOutcome.proceed()), r -> Uni.createFrom().voidItem());
  }

  @Test
  void runsStepsInOrderThenCleansUpInReverse() {
    BuildRun run =
        runner
            .run(List.of(ok("a"), ok("b"), ok("c")), newRun())
            .await()
            .atMost(Duration.ofSeconds(5));

    assertThat(run.halted()).isFalse();
    assertThat(journal)
        .containsExactly("run:a", "run:b", "run:c", "cleanup:c", "cleanup:b", "cleanup:a");
  }

  @Test
  void haltStopsTheRunAndCleansUpOnlyStartedStepsInReverse() {
    Step halting =
        step(
            "b",
            r -> Uni.createFrom().item(StepOutcome.halt("action_failed", "boom")),
            r -> Uni.createFrom().voidItem());

    BuildRun run =
        runner
            .run(List.of(ok("a"), halting, ok("c")), newRun())
            .await()
            .atMost(Duration.ofSeconds(5));

    assertThat(run.halted()).isTrue();
    assertThat(run.halt().orElseThrow().reasonClass()).isEqualTo("action_failed");
    assertThat(journal).containsExactly("run:a", "run:b", "cleanup:b:halted", "cleanup:a:halted");
  }

  @Test
  void failedUniAndThrownExceptionBothHaltWithAReasonClass() {
    Step failing =
        step(
            "fails",
            r -> Uni.createFrom().failure(new IllegalStateException("bad state")),
            r -> Uni.createFrom().voidItem());
    Step throwing =
        step(
            "throws",
            r -> {
              throw new IllegalArgumentException("thrown");
            },
            r -> Uni.createFrom().voidItem());

    BuildRun first = runner.run(List.of(failing, ok("x")), newRun()).await().indefinitely();
    BuildRun second = runner.run(List.of(throwing, ok("y")), newRun()).await().indefinitely();

    assertThat(first.halt().orElseThrow().reasonClass()).isEqualTo("internal_error");
    assertThat(first.halt().orElseThrow().message()).contains("fails").contains("bad state");
    assertThat(second.halt().orElseThrow().message()).contains("throws").contains("thrown");
    assertThat(journal).doesNotContain("run:x", "run:y");
  }

  @Test
  void cleanupFailureIsLoggedNotRethrownAndEarlierCleanupsStillRun() {
    Step badCleanup =
        step(
            "b",
            r -> Uni.createFrom().item(StepOutcome.halt("timeout", "slow")),
            r -> Uni.createFrom().failure(new RuntimeException("delete failed")));
    Step throwingCleanup =
        step(
            "c",
            r -> Uni.createFrom().item(StepOutcome.proceed()),
            r -> {
              throw new RuntimeException("cleanup threw");
            });
    Step halting =
        step(
            "d",
            r -> Uni.createFrom().item(StepOutcome.halt("timeout", "slow")),
            r -> Uni.createFrom().voidItem());

    BuildRun run =
        runner.run(List.of(ok("a"), badCleanup), newRun()).await().atMost(Duration.ofSeconds(5));
    BuildRun other =
        runner
            .run(List.of(ok("e"), throwingCleanup, halting), newRun())
            .await()
            .atMost(Duration.ofSeconds(5));

    assertThat(run.halted()).isTrue();
    assertThat(other.halted()).isTrue();
    assertThat(journal)
        .containsSubsequence("cleanup:b:halted", "cleanup:a:halted")
        .containsSubsequence("cleanup:d:halted", "cleanup:c:halted", "cleanup:e:halted");
  }

  @Test
  void aCleanupThatNeverEndsIsCutOffByItsOwnDeadline() {
    Step hanging =
        step(
            "b",
            r -> Uni.createFrom().item(StepOutcome.halt("timeout", "slow")),
            r -> Uni.createFrom().nothing());

    BuildRun run =
        runner.run(List.of(ok("a"), hanging), newRun()).await().atMost(Duration.ofSeconds(5));

    assertThat(run.halted()).isTrue();
    assertThat(journal).containsExactly("run:a", "run:b", "cleanup:b:halted", "cleanup:a:halted");
  }

  @Test
  void skipEndsTheRunWithoutFailure() {
    Step skipping =
        step(
            "a",
            r -> {
              r.skip();
              return Uni.createFrom().item(StepOutcome.proceed());
            },
            r -> Uni.createFrom().voidItem());

    BuildRun run = runner.run(List.of(skipping, ok("b")), newRun()).await().indefinitely();

    assertThat(run.halted()).isFalse();
    assertThat(run.skipped()).isTrue();
    assertThat(journal).containsExactly("run:a", "cleanup:a");
  }

  @Test
  void observerHearsEveryStepWithItsOutcome() {
    List<String> heard = new CopyOnWriteArrayList<>();
    StepRunner observed =
        new StepRunner(
            Duration.ofMillis(500), (step, outcome, took) -> heard.add(step + "=" + outcome));
    Step halting =
        step(
            "b",
            r -> Uni.createFrom().item(StepOutcome.halt("timeout", "slow")),
            r -> Uni.createFrom().voidItem());

    observed.run(List.of(ok("a"), halting, ok("c")), newRun()).await().indefinitely();

    assertThat(heard).containsExactly("a=ok", "b=timeout");
  }

  @Test
  void onShutdownNoFurtherStepStartsNothingIsCleanedUpAndTheRunIsAbortedNotHalted() {
    java.util.concurrent.atomic.AtomicBoolean stopping =
        new java.util.concurrent.atomic.AtomicBoolean();
    StepRunner stoppable = new StepRunner(Duration.ofMillis(500), (s, o, d) -> {}, stopping::get);
    Step stopsTheProcess =
        step(
            "b",
            r -> {
              stopping.set(true);
              return Uni.createFrom().item(StepOutcome.proceed());
            },
            r -> Uni.createFrom().voidItem());
    BuildRun run = newRun();

    Throwable failure =
        stoppable
            .run(List.of(ok("a"), stopsTheProcess, ok("c")), run)
            .onItem()
            .transform(r -> (Throwable) null)
            .onFailure()
            .recoverWithItem(e -> e)
            .await()
            .atMost(Duration.ofSeconds(5));

    assertThat(failure).isInstanceOf(RunAbortedException.class);
    assertThat(run.halted()).as("no BuildFailed for a shutdown").isFalse();
    assertThat(journal).containsExactly("run:a", "run:b");
  }

  @Test
  void aStepFailingDuringShutdownAbortsTheRunInsteadOfHaltingIt() {
    java.util.concurrent.atomic.AtomicBoolean stopping =
        new java.util.concurrent.atomic.AtomicBoolean();
    StepRunner stoppable = new StepRunner(Duration.ofMillis(500), (s, o, d) -> {}, stopping::get);
    Step cutOff =
        step(
            "b",
            r -> {
              stopping.set(true);
              return Uni.createFrom().failure(new IllegalStateException("client closed"));
            },
            r -> Uni.createFrom().voidItem());
    BuildRun run = newRun();

    Throwable failure =
        stoppable
            .run(List.of(ok("a"), cutOff), run)
            .onItem()
            .transform(r -> (Throwable) null)
            .onFailure()
            .recoverWithItem(e -> e)
            .await()
            .atMost(Duration.ofSeconds(5));

    assertThat(failure).isInstanceOf(RunAbortedException.class);
    assertThat(run.halted()).isFalse();
    assertThat(journal).containsExactly("run:a", "run:b");
  }

  @Test
  void aTransientCloudFailureAbortsTheRunForARetryInPlaceAndKeepsTheResources() {
    Step unreachable =
        step(
            "b",
            r ->
                Uni.createFrom()
                    .failure(
                        new dev.goldsmith.hcloud.error.HcloudNetworkException(
                            "GET", "/v1/servers/1", new java.io.IOException("refused"))),
            r -> Uni.createFrom().voidItem());
    BuildRun run = newRun();

    Throwable failure =
        runner
            .run(List.of(ok("a"), unreachable, ok("c")), run)
            .onItem()
            .transform(r -> (Throwable) null)
            .onFailure()
            .recoverWithItem(e -> e)
            .await()
            .atMost(Duration.ofSeconds(5));

    assertThat(failure).isInstanceOf(RunAbortedException.class);
    assertThat(dev.goldsmith.support.messaging.Failures.classify(failure).dependency())
        .isEqualTo("cloud");
    assertThat(run.halted()).isFalse();
    assertThat(journal).containsExactly("run:a", "run:b");
  }
}
