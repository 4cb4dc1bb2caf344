package dev.goldsmith.configurator.ansible;

import java.io.IOException;
import java.nio.file.Path;
import java.util.function.Consumer;

/** Runs a playbook command to its end; {@link PlaybookRunner} is the real one. */
@FunctionalInterface
public interface PlaybookExecutor {
  PlaybookRunner.Result run(
      PlaybookCommand command, Path workDir, Path logFile, Consumer<String> lines)
      throws IOException, InterruptedException;

  /** True once the service is shutting down: no new run may start. */
  default boolean cancelled() {
    return false;
  }
}
