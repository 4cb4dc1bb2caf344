package dev.goldsmith.emulator.action;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.goldsmith.emulator.backend.VirtualBackend;
import dev.goldsmith.emulator.config.EmulatorConfig;
import dev.goldsmith.emulator.state.Project;
import dev.goldsmith.emulator.state.ServerState;
import dev.goldsmith.emulator.state.ServerStatus;
import dev.goldsmith.emulator.state.Store;

/** One look of the shutdown watcher at a stopping server, without Quarkus. */
class ShutdownWatcherTest {
  private static final long ID = 7;
  private final VirtualBackend backend = new VirtualBackend(Duration.ZERO, 1);
  private ShutdownWatcher watcher;
  private Project project;
  private ServerState server;

  private static EmulatorConfig config() {
    return (EmulatorConfig)
        Proxy.newProxyInstance(
            EmulatorConfig.class.getClassLoader(),
            new Class<?>[] {EmulatorConfig.class},
            (proxy, method, args) ->
                switch (method.getName()) {
                  case "tokens" -> List.of();
                  case "readOnlyTokens", "stateFile" -> Optional.empty();
                  default -> throw new UnsupportedOperationException(method.getName());
                });
  }

  @BeforeEach
  void stoppingServer() {
    EmulatorConfig cfg = config();
    watcher = new ShutdownWatcher(new Store(cfg, new ObjectMapper()), backend, cfg);
    project = new Project();
    server = new ServerState();
    server.id = ID;
    server.status = ServerStatus.STOPPING;
    project.servers.put(ID, server);
    backend.restore(ID, "s", Map.of(), true);
  }

  private long inAMinute() {
    return System.nanoTime() + Duration.ofMinutes(1).toNanos();
  }

  @Test
  void waitsWhileTheShutdownActionStillHoldsTheServer() {
    server.lockedBy = 42;
    backend.powerOff(ID);
    assertThat(watcher.pollOnce(project, ID, inAMinute())).isFalse();
    assertThat(server.status).isEqualTo(ServerStatus.STOPPING);
  }

  @Test
  void theServerIsOffOnceTheBackendSaysItNoLongerRuns() {
    assertThat(watcher.pollOnce(project, ID, inAMinute())).isFalse();
    assertThat(server.status).isEqualTo(ServerStatus.STOPPING);
    backend.requestShutdown(ID);
    assertThat(watcher.pollOnce(project, ID, inAMinute())).isTrue();
    assertThat(server.status).isEqualTo(ServerStatus.OFF);
  }

  @Test
  void afterTheGraceTheServerRunsAgain() {
    assertThat(watcher.pollOnce(project, ID, System.nanoTime() - 1)).isTrue();
    assertThat(server.status).isEqualTo(ServerStatus.RUNNING);
  }

  @Test
  void anotherChangeEndsTheWatchWithoutTouchingTheServer() {
    server.status = ServerStatus.OFF;
    assertThat(watcher.pollOnce(project, ID, System.nanoTime() - 1)).isTrue();
    assertThat(server.status).isEqualTo(ServerStatus.OFF);
    project.servers.remove(ID);
    assertThat(watcher.pollOnce(project, ID, inAMinute())).isTrue();
  }
}
