package dev.goldsmith.verifier;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import dev.goldsmith.verifier.ssh.ExecResult;
import dev.goldsmith.verifier.ssh.RemoteShell;

/**
 * Runs the verifier's commands with {@code sh -c} on this machine (as root, like the verifier on a
 * test server), so command building and parsing are tested against a real shell, real runuser and
 * real coreutils.
 */
public final class LocalShell implements RemoteShell {

  @Override
  public ExecResult exec(String command, Duration timeout) throws IOException {
    long start = System.nanoTime();
    Process p = new ProcessBuilder("sh", "-c", command).start();
    p.getOutputStream().close();
    CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> read(p.getInputStream()));
    CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(p.getErrorStream()));
    try {
      if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        // Kill the whole tree: a login shell's children must not outlive the test.
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
        return new ExecResult(null, "", "", ms(start), true);
      }
      return new ExecResult(p.exitValue(), out.get(), err.get(), ms(start), false);
    } catch (Exception e) {
      throw new IOException(e);
    }
  }

  private static long ms(long start) {
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
  }

  private static String read(java.io.InputStream in) {
    try {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "";
    }
  }

  @Override
  public String endpoint() {
    return "local";
  }

  @Override
  public void close() {}
}
