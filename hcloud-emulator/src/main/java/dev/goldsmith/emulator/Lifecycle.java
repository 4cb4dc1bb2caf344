package dev.goldsmith.emulator;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;

import dev.goldsmith.emulator.action.ActionEngine;
import dev.goldsmith.emulator.backend.ServerBackend;
import dev.goldsmith.emulator.backend.VirtualBackend;
import dev.goldsmith.emulator.state.ActionState;
import dev.goldsmith.emulator.state.Project;
import dev.goldsmith.emulator.state.ServerState;
import dev.goldsmith.emulator.state.ServerStatus;
import dev.goldsmith.emulator.state.Store;

/** Starts the backend, loads saved state, and stops both cleanly. */
@Singleton
public class Lifecycle {
  private final ServerBackend backend;
  private final Store store;

  public Lifecycle(ServerBackend backend, Store store) {
    this.backend = backend;
    this.store = store;
  }

  void onStart(@Observes StartupEvent event) {
    backend.start();
    if (store.load()) {
      for (Project p : store.projects().values()) {
        synchronized (p) {
          for (ActionState a : p.actions.values()) {
            if (a.status.equals("running")) {
              ActionEngine.fail(a, "emulator restarted while the action ran");
            }
          }
          for (ServerState s : p.servers.values()) {
            s.lockedBy = 0;
            if (!s.status.isAtRest()) {
              s.status = ServerStatus.OFF;
            }
            if (backend instanceof VirtualBackend v) {
              v.restore(s.id, s.name, s.labels, s.status == ServerStatus.RUNNING);
            }
          }
          p.images.values().stream()
              .filter(i -> i.status.equals("creating"))
              .forEach(i -> i.status = "unavailable");
        }
      }
      store.changed();
    }
    Log.infof("hcloud emulator ready with the %s backend", backend.name());
  }

  void onStop(@Observes ShutdownEvent event) {
    try {
      store.flush();
    } finally {
      backend.stop();
    }
  }
}
