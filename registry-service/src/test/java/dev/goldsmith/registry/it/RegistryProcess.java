package dev.goldsmith.registry.it;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One registry instance as a real process: the packaged runnable jar ({@code
 * target/quarkus-app/quarkus-run.jar}) on a free port, against the given database and broker.
 */
final class RegistryProcess implements AutoCloseable {
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private final String name;
  private final Process process;
  private final int port;
  private final Path log;

  private RegistryProcess(String name, Process process, int port, Path log) {
    this.name = name;
    this.process = process;
    this.port = port;
    this.log = log;
  }

  /** Starts an instance with {@code -D} properties and environment variables. */
  static RegistryProcess start(String name, Map<String, String> properties, Map<String, String> env)
      throws IOException {
    Path jar = Path.of("target/quarkus-app/quarkus-run.jar");
    if (!Files.exists(jar)) {
      throw new IllegalStateException(jar + " is missing: run the package phase first");
    }
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-Xmx256m");
    cmd.add("-XX:+UseSerialGC");
    cmd.add("-Dquarkus.http.port=" + port);
    properties.forEach((k, v) -> cmd.add("-D" + k + "=" + v));
    cmd.add("-jar");
    cmd.add(jar.toString());
    Path log = Path.of("target", "registry-" + name + ".log");
    ProcessBuilder pb =
        new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
    pb.environment().putAll(env);
    RegistryProcess p = new RegistryProcess(name, pb.start(), port, log);
    p.awaitReady(Duration.ofSeconds(120));
    return p;
  }

  private void awaitReady(Duration timeout) {
    org.awaitility.Awaitility.await("registry " + name + " ready")
        .atMost(timeout)
        .pollInterval(Duration.ofMillis(200))
        .until(
            () -> {
              if (!process.isAlive()) {
                throw new IllegalStateException("registry " + name + " died:\n" + logTail());
              }
              try {
                return HTTP.send(
                            HttpRequest.newBuilder(URI.create(baseUrl() + "/q/health/ready"))
                                .timeout(Duration.ofSeconds(2))
                                .build(),
                            HttpResponse.BodyHandlers.discarding())
                        .statusCode()
                    == 200;
              } catch (IOException e) {
                return false;
              }
            });
  }

  String baseUrl() {
    return "http://127.0.0.1:" + port;
  }

  boolean isAlive() {
    return process.isAlive();
  }

  long pid() {
    return process.pid();
  }

  /** kill -9: the process gets no chance to finish anything. */
  void kill9() throws IOException, InterruptedException {
    new ProcessBuilder("kill", "-9", Long.toString(process.pid())).inheritIO().start().waitFor();
    process.waitFor();
  }

  String logTail() {
    try {
      List<String> lines = Files.readAllLines(log);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      process.destroy();
      if (!process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor();
      }
    }
  }
}
