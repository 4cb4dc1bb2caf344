package dev.goldsmith.registry.it;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A PostgreSQL cluster of the test's own (Debian's {@code initdb} and {@code pg_ctl}, in {@code
 * target/}, on a free loopback port, trust auth for user {@code goldsmith}), so that a test can
 * stop and start the database without touching the shared server on 5432. Run as the {@code
 * postgres} OS user when the test runs as root ({@code initdb} refuses root).
 */
final class PrivatePostgres implements AutoCloseable {
  private static final Path BIN = Path.of("/usr/lib/postgresql/15/bin");
  static final String USER = "goldsmith";
  static final String DATABASE = "goldsmith";

  private final Path dir;
  private final int port;
  private final boolean asPostgres;

  private PrivatePostgres(Path dir, int port, boolean asPostgres) {
    this.dir = dir;
    this.port = port;
    this.asPostgres = asPostgres;
  }

  /** A new cluster, initialised and started, with an empty database {@value #DATABASE}. */
  static PrivatePostgres create(String name) throws IOException, InterruptedException {
    Path dir = Path.of("target", name).toAbsolutePath();
    deleteTree(dir);
    Files.createDirectories(dir);
    boolean asPostgres = "root".equals(System.getProperty("user.name"));
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    PrivatePostgres pg = new PrivatePostgres(dir, port, asPostgres);
    if (asPostgres) {
      pg.run(List.of("chown", "postgres:postgres", dir.toString()), false);
    }
    pg.run(
        List.of(
            BIN.resolve("initdb").toString(),
            "-D",
            dir.resolve("data").toString(),
            "-U",
            USER,
            "-A",
            "trust",
            "-E",
            "UTF8"),
        true);
    pg.start();
    try (Connection c = DriverManager.getConnection(pg.jdbcUrl("postgres"), USER, "");
        Statement s = c.createStatement()) {
      s.execute("create database " + DATABASE);
    } catch (SQLException e) {
      throw new IllegalStateException("cannot create database " + DATABASE, e);
    }
    return pg;
  }

  String jdbcUrl() {
    return jdbcUrl(DATABASE);
  }

  private String jdbcUrl(String database) {
    return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
  }

  void start() throws IOException, InterruptedException {
    run(
        List.of(
            BIN.resolve("pg_ctl").toString(),
            "-D",
            dir.resolve("data").toString(),
            "-l",
            dir.resolve("server.log").toString(),
            "-o",
            "-p " + port + " -c listen_addresses=127.0.0.1 -k " + dir,
            "-w",
            "-t",
            "60",
            "start"),
        true);
  }

  /** Fast shutdown: every client connection is cut at once. */
  void stop() throws IOException, InterruptedException {
    run(
        List.of(
            BIN.resolve("pg_ctl").toString(),
            "-D",
            dir.resolve("data").toString(),
            "-m",
            "fast",
            "-w",
            "-t",
            "60",
            "stop"),
        true);
  }

  @Override
  public void close() throws IOException, InterruptedException {
    if (Files.exists(dir.resolve("data").resolve("postmaster.pid"))) {
      stop();
    }
    deleteTree(dir);
  }

  private void run(List<String> command, boolean asOwner) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>();
    if (asOwner && asPostgres) {
      cmd.addAll(List.of("runuser", "-u", "postgres", "--"));
    }
    cmd.addAll(command);
    Path out = Files.createTempFile("pg-ctl", ".log");
    try {
      Process p =
          new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile()).start();
      if (!p.waitFor(90, TimeUnit.SECONDS) || p.exitValue() != 0) {
        p.destroyForcibly();
        throw new IllegalStateException(
            String.join(" ", cmd) + " failed:\n" + Files.readString(out) + serverLog());
      }
    } finally {
      Files.deleteIfExists(out);
    }
  }

  private String serverLog() {
    try {
      return Files.readString(dir.resolve("server.log"));
    } catch (IOException e) {
      return "";
    }
  }

  private static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
