package dev.goldsmith.emulator.hosts;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import dev.goldsmith.emulator.backend.ServerBackend.BackendException;

/**
 * Runs one external command with an argument list (never a shell with user strings) and a hard
 * timeout. On timeout the command and all its descendants are killed.
 */
final class Cmd {

  private Cmd() {}

  /** The outcome of a finished command. */
  record Result(List<String> args, int exit, String out, String err) {
    boolean ok() {
      return exit == 0;
    }

    /** Throws a {@link BackendException} naming the command unless it exited with 0. */
    Result check() {
      if (exit != 0) {
        throw new BackendException(
            "command failed (exit "
                + exit
                + "): "
                + String.join(" ", args)
                + (err.isBlank() ? "" : ": " + abbreviate(err.strip())));
      }
      return this;
    }
  }

  static Result run(Duration timeout, String... args) {
    return run(timeout, null, List.of(args));
  }

  static Result run(Duration timeout, byte[] stdin, List<String> args) {
    ProcessBuilder pb = new ProcessBuilder(args);
    if (stdin == null) {
      pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    }
    Process p;
    try {
      p = pb.start();
    } catch (IOException e) {
      throw new BackendException("cannot start " + args.get(0) + ": " + e.getMessage(), e);
    }
    CompletableFuture<byte[]> out = drain(p.getInputStream());
    CompletableFuture<byte[]> err = drain(p.getErrorStream());
    if (stdin != null) {
      try (OutputStream os = p.getOutputStream()) {
        os.write(stdin);
      } catch (IOException e) {
        // the command may exit without reading its input; its exit code tells the story
      }
    }
    try {
      if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
        p.waitFor(5, TimeUnit.SECONDS);
        throw new BackendException(
            "command timed out after " + timeout.toSeconds() + " s: " + String.join(" ", args));
      }
      return new Result(
          List.copyOf(args),
          p.exitValue(),
          new String(out.get(5, TimeUnit.SECONDS), StandardCharsets.UTF_8),
          new String(err.get(5, TimeUnit.SECONDS), StandardCharsets.UTF_8));
    } catch (InterruptedException e) {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new BackendException("interrupted while running " + args.get(0), e);
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
      throw new BackendException("cannot read output of " + args.get(0), e);
    }
  }

  private static CompletableFuture<byte[]> drain(InputStream in) {
    return CompletableFuture.supplyAsync(
        () -> {
          try (in) {
            ByteArrayOutputStream buf = new ByteArrayOutputStream();
            in.transferTo(buf);
            return buf.toByteArray();
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        },
        runnable -> {
          Thread t = new Thread(runnable, "cmd-drain");
          t.setDaemon(true);
          t.start();
        });
  }

  static String abbreviate(String s) {
    return s.length() <= 600 ? s : s.substring(0, 300) + " … " + s.substring(s.length() - 300);
  }
}
