package dev.goldsmith.e2e;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The local stack of deploy/stack.sh, started as a user would, with its own broker, DB and ports.
 * When its hosts instance is one of the test slots (0..6), the stack holds that slot's lock file
 * for its whole life, as every test emulator does, so no test emulator takes the same instance and
 * sweeps its disks.
 */
final class Stack implements AutoCloseable {
  private final Path root;
  private final Map<String, String> env;
  private Map<String, String> vars = Map.of();
  private FileChannel slotChannel;
  private FileLock slotLock;

  Stack(Path root, Map<String, String> env) {
    this.root = root;
    this.env = env;
  }

  static Path repoRoot() {
    String configured = System.getProperty("goldsmith.repo.root");
    Path p = configured != null ? Path.of(configured) : Path.of("").toAbsolutePath();
    while (p != null && !Files.exists(p.resolve("mvnw"))) {
      p = p.getParent();
    }
    if (p == null) {
      throw new IllegalStateException("no repository root above the working directory");
    }
    return p;
  }

  /** Forgets an earlier run of this stack, then starts it; returns its env lines. */
  Map<String, String> start() throws IOException, InterruptedException {
    holdSlot();
    run("reset", 600);
    String out = run("start", 1200);
    Map<String, String> parsed = new HashMap<>();
    for (String line : out.split("\n")) {
      int eq = line.indexOf('=');
      if (eq > 0 && line.substring(0, eq).matches("[A-Z_]+")) {
        parsed.put(line.substring(0, eq), line.substring(eq + 1).trim());
      }
    }
    vars = parsed;
    return parsed;
  }

  String get(String key) {
    String v = vars.get(key);
    if (v == null) {
      throw new IllegalStateException("stack did not print " + key);
    }
    return v;
  }

  Path dir() {
    return Path.of(env.get("STACK_DIR"));
  }

  /** The PID of one running instance ("verifier", "verifier-2", …) from its pid file. */
  long pid(String instance) throws IOException {
    return Long.parseLong(Files.readString(dir().resolve(instance + ".pid")).trim());
  }

  /** The log of one instance. */
  Path log(String instance) {
    return dir().resolve("logs").resolve(instance + ".log");
  }

  /** Kills one instance with SIGKILL, as a crash would, and waits until it is gone. */
  void kill9(String instance) throws IOException, InterruptedException {
    ProcessHandle p =
        ProcessHandle.of(pid(instance))
            .orElseThrow(() -> new IllegalStateException(instance + " is not running"));
    p.destroyForcibly();
    p.onExit().join();
  }

  /** Kills the stack's broker with SIGKILL and waits until it is gone; returns its PID. */
  long killBroker() throws IOException {
    long pid = Long.parseLong(Files.readString(dir().resolve("kafka/node1/kafka.pid")).trim());
    ProcessHandle p =
        ProcessHandle.of(pid).orElseThrow(() -> new IllegalStateException("broker not running"));
    p.destroyForcibly();
    p.onExit().join();
    return pid;
  }

  /** Starts the stack's broker again on its data, as deploy/stack.sh started it. */
  void startBroker() throws IOException, InterruptedException {
    ProcessBuilder pb =
        new ProcessBuilder(
                root.resolve("deploy/kafka-local.sh").toString(),
                "start",
                "1",
                dir().resolve("kafka").toString())
            .directory(root.toFile())
            .redirectErrorStream(true);
    pb.environment().putAll(env);
    pb.environment().put("KAFKA_PORT_BASE", env.getOrDefault("STACK_KAFKA_PORT", "17092"));
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(180, TimeUnit.SECONDS) || p.exitValue() != 0) {
      p.destroyForcibly();
      throw new IllegalStateException("broker restart failed: " + out);
    }
  }

  @Override
  public void close() throws IOException, InterruptedException {
    try {
      run("stop", 600);
    } finally {
      if (slotLock != null) {
        slotLock.release();
        slotChannel.close();
      }
    }
  }

  /** Takes the slot lock of the stack's hosts instance (blocking while a test emulator has it). */
  private void holdSlot() throws IOException {
    String instance = env.getOrDefault("STACK_HOSTS_INSTANCE", "7");
    if (!instance.matches("[0-6]")) {
      return;
    }
    Path file = Path.of("/tmp", "goldsmith-emulator-slot-" + instance + ".lock");
    slotChannel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    slotLock = slotChannel.lock();
  }

  private String run(String command, long timeoutSeconds) throws IOException, InterruptedException {
    ProcessBuilder pb =
        new ProcessBuilder(root.resolve("deploy/stack.sh").toString(), command)
            .directory(root.toFile())
            .redirectError(ProcessBuilder.Redirect.INHERIT);
    pb.environment().putAll(env);
    Process p = pb.start();
    byte[] out = p.getInputStream().readAllBytes();
    if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IllegalStateException("deploy/stack.sh " + command + " timed out");
    }
    if (p.exitValue() != 0) {
      throw new IllegalStateException("deploy/stack.sh " + command + " failed: " + p.exitValue());
    }
    return new String(out, StandardCharsets.UTF_8);
  }
}
