package dev.goldsmith.testkit;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

/**
 * The hcloud emulator as a child process: its runnable jar ({@code
 * hcloud-emulator/target/quarkus-app/quarkus-run.jar}) started on a free loopback port with a
 * random token. With the {@code hosts} backend a test slot (0..6; 7 is the stack's) is taken
 * through an exclusive file lock under /tmp and passed as {@code emulator.hosts.instance}, so that
 * emulators of several test JVMs do not share bridges, address ranges or state directories.
 *
 * <pre>{@code
 * try (EmulatorProcess emulator = EmulatorProcess.start("virtual", Map.of())) {
 *   String endpoint = emulator.endpoint(); // http://127.0.0.1:<port>/v1
 *   emulator.control().addFault(Map.of("method", "POST", "path", "/servers", "count", 1));
 * }
 * }</pre>
 */
public final class EmulatorProcess implements AutoCloseable {
  /**
   * Number of hosts-backend test slots: instances 0..6. Instance {@link #STACK_INSTANCE} belongs to
   * the local stack and is never taken (the same rule as the backend's {@code InstanceSlots}).
   */
  public static final int SLOTS = 7;

  /** The hosts instance of {@code deploy/stack.sh}. */
  public static final int STACK_INSTANCE = 7;

  private static final Duration START_TIMEOUT = Duration.ofSeconds(120);
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(60);

  private final Process process;
  private final int port;
  private final String token;
  private final String backend;
  private final Path log;
  private final SlotLock slot;
  private final Thread hook;
  private final EmulatorControl control;

  private EmulatorProcess(
      Process process, int port, String token, String backend, Path log, SlotLock slot) {
    this.process = process;
    this.port = port;
    this.token = token;
    this.backend = backend;
    this.log = log;
    this.slot = slot;
    this.control = new EmulatorControl(baseUrl(), token);
    this.hook = new Thread(this::stopQuietly, "emulator-stop-" + port);
    Runtime.getRuntime().addShutdownHook(hook);
  }

  /**
   * Starts an emulator and waits until it answers.
   *
   * @param backend {@code virtual} or {@code hosts}
   * @param properties extra configuration properties, e.g. {@code
   *     emulator.actions.default-duration=100ms}
   */
  public static EmulatorProcess start(String backend, Map<String, String> properties) {
    return start(backend, properties, randomToken());
  }

  /**
   * Starts an emulator with a given token (e.g. to reopen a state file, whose projects are keyed by
   * token).
   */
  public static EmulatorProcess start(
      String backend, Map<String, String> properties, String token) {
    Path root = repoRoot();
    Path jar = root.resolve("hcloud-emulator/target/quarkus-app/quarkus-run.jar");
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException(
          "the emulator is not built: "
              + jar
              + " is missing; build it with `./mvnw -B -pl hcloud-emulator package -DskipTests`"
              + " in "
              + root);
    }
    SlotLock slot = backend.equals("hosts") ? SlotLock.acquire() : null;
    try {
      int port = freePort();
      List<String> cmd = new ArrayList<>();
      cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
      cmd.add("-Xmx384m");
      cmd.add("-Dquarkus.http.port=" + port);
      cmd.add("-Dquarkus.http.host=127.0.0.1");
      cmd.add("-Demulator.backend=" + backend);
      Map<String, String> props = new LinkedHashMap<>(properties);
      if (slot != null) {
        props.putIfAbsent("emulator.hosts.instance", Integer.toString(slot.slot));
      }
      props.forEach((k, v) -> cmd.add("-D" + k + "=" + v));
      cmd.add("-jar");
      cmd.add(jar.toString());
      Path logDir = Path.of(System.getProperty("user.dir"), "target", "emulator-logs");
      Files.createDirectories(logDir);
      Path log = logDir.resolve("emulator-" + port + ".log");
      ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
      pb.redirectOutput(log.toFile());
      // the token goes through the environment, never the command line
      pb.environment().put("EMULATOR_TOKENS", token);
      Process process = pb.start();
      EmulatorProcess emulator = new EmulatorProcess(process, port, token, backend, log, slot);
      try {
        emulator.awaitReady();
      } catch (RuntimeException e) {
        emulator.close();
        throw e;
      }
      return emulator;
    } catch (IOException e) {
      if (slot != null) {
        slot.release();
      }
      throw new IllegalStateException("could not start the emulator: " + e.getMessage(), e);
    } catch (RuntimeException e) {
      if (slot != null) {
        slot.release();
      }
      throw e;
    }
  }

  /** The repository root: the nearest directory upwards from the working dir holding mvnw. */
  public static Path repoRoot() {
    Path dir = Path.of(System.getProperty("user.dir")).toAbsolutePath();
    for (Path d = dir; d != null; d = d.getParent()) {
      if (Files.isRegularFile(d.resolve("mvnw"))) {
        return d;
      }
    }
    throw new IllegalStateException("no directory holding mvnw above " + dir);
  }

  private void awaitReady() {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException(
            "the emulator exited with " + process.exitValue() + " while starting:\n" + logTail());
      }
      try {
        HttpResponse<String> r =
            http.send(
                HttpRequest.newBuilder(URI.create(baseUrl() + "/_emulator/health"))
                    .timeout(Duration.ofSeconds(2))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 200) {
          return;
        }
      } catch (IOException e) {
        // not listening yet
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for the emulator", e);
      }
      try {
        Thread.sleep(200);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for the emulator", e);
      }
    }
    throw new IllegalStateException(
        "the emulator did not answer within " + START_TIMEOUT + ":\n" + logTail());
  }

  /** The last lines of the emulator's log (for failure messages). */
  public String logTail() {
    try {
      List<String> lines = Files.readAllLines(log);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  /** {@code http://127.0.0.1:<port>/v1}: what HCLOUD_ENDPOINT must be. */
  public String endpoint() {
    return baseUrl() + "/v1";
  }

  /** {@code http://127.0.0.1:<port>}. */
  public String baseUrl() {
    return "http://127.0.0.1:" + port;
  }

  /** The project token (HCLOUD_TOKEN). Never log it. */
  public String token() {
    return token;
  }

  public int port() {
    return port;
  }

  public String backend() {
    return backend;
  }

  public long pid() {
    return process.pid();
  }

  /** The hosts-backend slot, when one was taken. */
  public OptionalInt slot() {
    return slot == null ? OptionalInt.empty() : OptionalInt.of(slot.slot);
  }

  public Path logFile() {
    return log;
  }

  /** The control-API client. */
  public EmulatorControl control() {
    return control;
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  /** Stops the emulator (SIGTERM, then SIGKILL after a minute) and frees its slot. */
  @Override
  public void close() {
    stopQuietly();
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException e) {
      // the JVM is already shutting down
    }
  }

  private synchronized void stopQuietly() {
    try {
      if (process.isAlive()) {
        process.destroy();
        if (!process.waitFor(STOP_TIMEOUT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS)) {
          process.destroyForcibly();
          process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS);
        }
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    } finally {
      if (slot != null) {
        slot.release();
      }
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      s.setReuseAddress(true);
      return s.getLocalPort();
    }
  }

  /** A fresh random token (48 hex digits). */
  public static String randomToken() {
    byte[] b = new byte[24];
    new SecureRandom().nextBytes(b);
    return HexFormat.of().formatHex(b);
  }

  /** An exclusive lock on /tmp/goldsmith-emulator-slot-N.lock, held while the emulator runs. */
  static final class SlotLock {
    final int slot;
    private final FileChannel channel;
    private final FileLock lock;

    private SlotLock(int slot, FileChannel channel, FileLock lock) {
      this.slot = slot;
      this.channel = channel;
      this.lock = lock;
    }

    static SlotLock acquire() {
      return acquire(Duration.ofMinutes(10));
    }

    /** The first free slot from 0 up, looking again every second until {@code wait} passed. */
    static SlotLock acquire(Duration wait) {
      long deadline = System.nanoTime() + wait.toNanos();
      while (true) {
        for (int i = 0; i < SLOTS; i++) {
          Path file = Path.of("/tmp", "goldsmith-emulator-slot-" + i + ".lock");
          try {
            FileChannel ch =
                FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock l;
            try {
              l = ch.tryLock();
            } catch (java.nio.channels.OverlappingFileLockException e) {
              l = null;
            }
            if (l != null) {
              return new SlotLock(i, ch, l);
            }
            ch.close();
          } catch (IOException e) {
            throw new IllegalStateException("cannot lock " + file + ": " + e.getMessage(), e);
          }
        }
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException(
              "all "
                  + SLOTS
                  + " emulator slots stayed busy (instance "
                  + STACK_INSTANCE
                  + " is the stack's)");
        }
        try {
          Thread.sleep(Math.min(1000, Math.max(10, wait.toMillis())));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException("interrupted while waiting for an emulator slot", e);
        }
      }
    }

    synchronized void release() {
      try {
        if (lock.isValid()) {
          lock.release();
        }
        channel.close();
      } catch (IOException e) {
        // the lock dies with the channel anyway
      }
    }
  }
}
