package dev.goldsmith.e2e;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The local stack of deploy/stack.sh, started as a user would, with its own broker, DB and ports.
 */
final class Stack implements AutoCloseable {
  private final Path root;
  private final Map<String, String> env;
  private Map<String, String> vars = Map.of();

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

  @Override
  public void close() throws IOException, InterruptedException {
    run("stop", 600);
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
