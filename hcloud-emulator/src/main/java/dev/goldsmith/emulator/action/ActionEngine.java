package dev.goldsmith.emulator.action;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.logging.Log;

import dev.goldsmith.emulator.api.Times;
import dev.goldsmith.emulator.backend.ServerBackend.BackendException;
import dev.goldsmith.emulator.config.EmulatorConfig;
import dev.goldsmith.emulator.state.ActionState;
import dev.goldsmith.emulator.state.Project;
import dev.goldsmith.emulator.state.Store;

/**
 * Runs actions. A chain of steps runs on one worker thread, in order; each step's action completes
 * when both its minimum duration has elapsed and its backend call has returned. A {@link
 * BackendException} (or an injected fault) ends the action in {@code error}, and every later step
 * of the chain ends in error too.
 */
@ApplicationScoped
public class ActionEngine {
  private final EmulatorConfig config;
  private final Store store;
  private final ExecutorService workers;
  private final java.util.Map<String, Duration> overrides =
      new java.util.concurrent.ConcurrentHashMap<>();

  public ActionEngine(EmulatorConfig config, Store store) {
    this.config = config;
    this.store = store;
    AtomicInteger n = new AtomicInteger();
    this.workers =
        Executors.newCachedThreadPool(
            r -> {
              Thread t = new Thread(r, "emulator-action-" + n.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
  }

  /** A step's completion, run under the project's lock with the outcome. */
  @FunctionalInterface
  public interface Completion {
    void complete(boolean success);
  }

  /** The backend work of a step, run on the worker thread without any lock. */
  @FunctionalInterface
  public interface Work {
    void run() throws Exception;
  }

  /**
   * One step: its action, its work, what to do when done, and an optional failure forced by a fault
   * rule (message, or null).
   */
  public record Step(ActionState action, Work work, Completion completion, String forcedError) {}

  /** Creates a running action (caller holds the project's lock and adds it to the project). */
  public ActionState newAction(Project p, String command, List<ActionState.Resource> resources) {
    ActionState a = new ActionState();
    a.id = store.nextActionId();
    a.command = command;
    a.status = "running";
    a.progress = 0;
    a.started = Times.now();
    a.resources.addAll(resources);
    p.actions.put(a.id, a);
    return a;
  }

  /** Marks an action finished at once (for actions without backend work). */
  public void finishNow(ActionState a) {
    a.status = "success";
    a.progress = 100;
    a.finished = Times.now();
  }

  /**
   * Ends an action in {@code error} with code {@code action_failed}: the one way an action fails,
   * whether its backend work threw, a fault rule forced it, or the emulator restarted under it.
   */
  public static void fail(ActionState a, String message) {
    a.status = "error";
    a.progress = 100;
    a.finished = Times.now();
    a.errorCode = "action_failed";
    a.errorMessage = message;
  }

  /**
   * Ends an action without backend work at once: in error when a fault rule forced one ({@code
   * forcedError} not null), else in success after {@code effect} has run.
   *
   * @return whether the action succeeded
   */
  public boolean finishNow(ActionState a, String forcedError, Runnable effect) {
    if (forcedError != null) {
      fail(a, forcedError);
      return false;
    }
    effect.run();
    finishNow(a);
    return true;
  }

  /** Sets run-time minimum durations per command (control API); they win over configuration. */
  public void overrideDurations(java.util.Map<String, Duration> durations) {
    overrides.putAll(durations);
  }

  /** Forgets the run-time durations. */
  public void clearOverrides() {
    overrides.clear();
  }

  /** The minimum duration of every command that has one configured or set, plus the default. */
  public java.util.Map<String, Long> durationsMillis() {
    java.util.Map<String, Long> out = new java.util.TreeMap<>();
    out.put("default", config.actions().defaultDuration().toMillis());
    config.actions().perCommand().forEach((k, v) -> out.put(k, v.toMillis()));
    overrides.forEach((k, v) -> out.put(k, v.toMillis()));
    return out;
  }

  public Duration durationOf(String command) {
    Duration o = overrides.get(command);
    if (o != null) {
      return o;
    }
    Duration d = config.actions().perCommand().get(command);
    return d != null ? d : config.actions().defaultDuration();
  }

  /** Runs the steps in order on a worker; {@code after} runs (unlocked) once all are done. */
  public void run(Project p, List<Step> steps, Runnable after) {
    workers.execute(
        () -> {
          String failure = null;
          for (Step step : steps) {
            long start = System.nanoTime();
            String error = failure;
            if (error == null && step.forcedError() != null) {
              error = step.forcedError();
            }
            if (error == null) {
              try {
                step.work().run();
              } catch (BackendException e) {
                error = e.getMessage() == null ? "backend failure" : e.getMessage();
              } catch (Exception e) {
                Log.errorf(e, "action %d (%s) failed", step.action().id, step.action().command);
                error = "internal error: " + e.getClass().getSimpleName();
              }
            }
            long remaining =
                durationOf(step.action().command).toNanos() - (System.nanoTime() - start);
            if (remaining > 0) {
              try {
                TimeUnit.NANOSECONDS.sleep(remaining);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                error = "emulator stopping";
              }
            }
            synchronized (p) {
              ActionState a = step.action();
              if (error == null) {
                finishNow(a);
              } else {
                fail(a, error);
              }
              try {
                step.completion().complete(error == null);
              } catch (RuntimeException e) {
                Log.errorf(e, "completion of action %d failed", a.id);
              }
            }
            store.changed();
            if (error != null) {
              failure = error;
            }
          }
          if (after != null) {
            try {
              after.run();
            } catch (RuntimeException e) {
              Log.errorf(e, "follow-up of an action chain failed");
            }
          }
        });
  }

  /** Runs a background task on the worker pool (e.g. removing an image's content). */
  public void background(Runnable task) {
    workers.execute(task);
  }

  @PreDestroy
  void stop() {
    workers.shutdownNow();
  }
}
