package dev.goldsmith.configurator.ansible;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Runs an ansible-playbook child process: output copied line by line to a log file and to a line
 * consumer (the service log), a hard timeout after which the whole process tree is terminated, then
 * killed. {@link #cancelAll()} (service shutdown) kills every running tree the same way and makes
 * their {@code run} calls throw {@link RunCancelledException} instead of returning a result.
 */
public final class PlaybookRunner implements PlaybookExecutor {

  /**
   * How the process ended.
   *
   * @param exitCode the exit code, -1 when killed on timeout
   * @param timedOut whether the timeout killed it
   * @param duration wall time
   * @param logFile the full output
   * @param tail the last lines of the output (for messages when no task failed)
   */
  public record Result(
      int exitCode, boolean timedOut, Duration duration, Path logFile, List<String> tail) {}

  private static final int TAIL_LINES = 20;

  private final Duration timeout;
  private final Duration killGrace;
  private final Set<Process> running = ConcurrentHashMap.newKeySet();
  private final Set<Process> killedByCancel = ConcurrentHashMap.newKeySet();
  private volatile boolean cancelled;

  public PlaybookRunner(Duration timeout, Duration killGrace) {
    this.timeout = timeout;
    this.killGrace = killGrace;
  }

  /**
   * Runs {@code command} in {@code workDir}, appending its output to {@code logFile}.
   *
   * @param lines receives every output line as it arrives
   */
  @Override
  public Result run(PlaybookCommand command, Path workDir, Path logFile, Consumer<String> lines)
      throws IOException, InterruptedException {
    ProcessBuilder pb = new ProcessBuilder(command.arguments());
    pb.directory(workDir.toFile());
    pb.environment().putAll(command.environment());
    pb.redirectErrorStream(true);
    pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    Files.createDirectories(logFile.toAbsolutePath().getParent());
    long start = System.nanoTime();
    if (cancelled) {
      throw new RunCancelledException("shutting down: the playbook was not started");
    }
    Process process = pb.start();
    running.add(process);
    try {
      return await(process, start, logFile, lines);
    } finally {
      running.remove(process);
    }
  }

  private Result await(Process process, long start, Path logFile, Consumer<String> lines)
      throws InterruptedException {
    if (cancelled && killedByCancel.add(process)) {
      // cancelAll() ran between the check above and the add: it may have missed this one.
      killTree(process);
    }
    List<String> tail = new ArrayList<>();
    Thread pump =
        new Thread(() -> pump(process, logFile, lines, tail), "ansible-log-" + process.pid());
    pump.setDaemon(true);
    pump.start();
    boolean finished = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
    if (!finished) {
      killTree(process);
    }
    // The pump ends when every holder of the pipe is gone; daemonized ssh masters may keep it open,
    // so do not wait for it forever.
    pump.join(TimeUnit.SECONDS.toMillis(10));
    if (killedByCancel.remove(process) && !(finished && process.exitValue() == 0)) {
      // Killed by cancelAll: nothing is known about the builder from a run cut short, so there is
      // no result to report. (A run that finished on its own just before is reported as usual.)
      throw new RunCancelledException(
          "shutting down: ansible-playbook pid " + process.pid() + " was killed");
    }
    Duration took = Duration.ofNanos(System.nanoTime() - start);
    synchronized (tail) {
      return new Result(
          finished ? process.exitValue() : -1, !finished, took, logFile, List.copyOf(tail));
    }
  }

  private static void pump(
      Process process, Path logFile, Consumer<String> lines, List<String> tail) {
    try (BufferedReader in =
            new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        BufferedWriter out =
            Files.newBufferedWriter(
                logFile,
                StandardCharsets.UTF_8,
                java.nio.file.StandardOpenOption.CREATE,
                java.nio.file.StandardOpenOption.APPEND)) {
      String line;
      while ((line = in.readLine()) != null) {
        out.write(line);
        out.newLine();
        out.flush();
        synchronized (tail) {
          tail.add(line);
          if (tail.size() > TAIL_LINES) {
            tail.remove(0);
          }
        }
        try {
          lines.accept(line);
        } catch (RuntimeException e) {
          // A failing log sink must not stop the copy to the log file.
        }
      }
    } catch (IOException e) {
      // The process was killed or the pipe closed: the log file has what arrived.
    }
  }

  /**
   * Kills every running playbook (SIGTERM to each process tree, SIGKILL after the grace period) and
   * refuses new runs; returns when the trees are gone. Their {@code run} calls throw {@link
   * RunCancelledException}.
   */
  public void cancelAll() throws InterruptedException {
    cancelled = true;
    for (Process p : List.copyOf(running)) {
      if (p.isAlive() && killedByCancel.add(p)) {
        killTree(p);
      }
    }
  }

  /** Whether {@link #cancelAll()} was called. */
  @Override
  public boolean cancelled() {
    return cancelled;
  }

  /** SIGTERM to the process and all its descendants, then SIGKILL to whatever is left. */
  void killTree(Process process) throws InterruptedException {
    List<ProcessHandle> tree = new ArrayList<>(process.descendants().toList());
    tree.add(process.toHandle());
    for (ProcessHandle h : tree) {
      h.destroy();
    }
    long deadline = System.nanoTime() + killGrace.toNanos();
    for (ProcessHandle h : tree) {
      long left = deadline - System.nanoTime();
      if (left > 0) {
        try {
          h.onExit().get(left, TimeUnit.NANOSECONDS);
        } catch (java.util.concurrent.ExecutionException
            | java.util.concurrent.TimeoutException e) {
          // Killed below.
        }
      }
    }
    // Children started during the grace period are descendants too.
    List<ProcessHandle> left = new ArrayList<>(process.descendants().toList());
    left.addAll(tree);
    for (ProcessHandle h : left) {
      if (h.isAlive()) {
        h.destroyForcibly();
      }
    }
    process.waitFor(killGrace.toMillis(), TimeUnit.MILLISECONDS);
  }
}
