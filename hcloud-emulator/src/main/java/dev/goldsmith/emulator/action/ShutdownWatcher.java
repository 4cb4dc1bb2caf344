package dev.goldsmith.emulator.action;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.logging.Log;

import dev.goldsmith.emulator.backend.ServerBackend;
import dev.goldsmith.emulator.config.EmulatorConfig;
import dev.goldsmith.emulator.state.Project;
import dev.goldsmith.emulator.state.ServerState;
import dev.goldsmith.emulator.state.ServerStatus;
import dev.goldsmith.emulator.state.Store;

/**
 * After a {@code shutdown} action, the server stays {@code stopping} until its OS is down: this
 * watcher polls the backend (every {@code emulator.actions.shutdown-poll-interval}) and sets {@code
 * off} once the server no longer runs, or back to {@code running} when the backend's shutdown grace
 * passes first. It stops watching as soon as anything else changes the status (a power-off, a
 * delete).
 */
@ApplicationScoped
public class ShutdownWatcher {
  private final Store store;
  private final ServerBackend backend;
  private final EmulatorConfig config;
  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "emulator-shutdown-watcher");
            t.setDaemon(true);
            return t;
          });

  public ShutdownWatcher(Store store, ServerBackend backend, EmulatorConfig config) {
    this.store = store;
    this.backend = backend;
    this.config = config;
  }

  /** Starts watching server {@code id} of project {@code p}, which was just set stopping. */
  public void watch(Project p, long id) {
    long pollMs = Math.max(10, config.actions().shutdownPollInterval().toMillis());
    long deadline = System.nanoTime() + backend.shutdownGrace().toNanos();
    AtomicReference<ScheduledFuture<?>> self = new AtomicReference<>();
    Runnable poll =
        () -> {
          boolean over;
          try {
            over = pollOnce(p, id, deadline);
          } catch (RuntimeException e) {
            Log.errorf(e, "watching the shutdown of server %d failed", id);
            over = true;
          }
          if (over) {
            synchronized (self) {
              self.get().cancel(false);
            }
          }
        };
    synchronized (self) {
      self.set(timer.scheduleWithFixedDelay(poll, pollMs, pollMs, TimeUnit.MILLISECONDS));
    }
  }

  /**
   * One look at the server; true when watching is over. The shutdown action itself must be over
   * (the server unlocked) before the backend is asked.
   */
  boolean pollOnce(Project p, long id, long deadline) {
    synchronized (p) {
      ServerState s = p.servers.get(id);
      if (s == null || s.status != ServerStatus.STOPPING) {
        return true;
      }
      if (s.lockedBy != 0) {
        return false;
      }
    }
    boolean expired = System.nanoTime() - deadline >= 0;
    boolean running = backend.isRunning(id);
    synchronized (p) {
      ServerState s = p.servers.get(id);
      if (s == null || s.status != ServerStatus.STOPPING || s.lockedBy != 0) {
        return s == null || s.status != ServerStatus.STOPPING;
      }
      if (!running) {
        s.status = ServerStatus.OFF;
      } else if (expired) {
        s.status = ServerStatus.RUNNING;
      } else {
        return false;
      }
    }
    store.changed();
    return true;
  }

  @PreDestroy
  void stop() {
    timer.shutdownNow();
  }
}
