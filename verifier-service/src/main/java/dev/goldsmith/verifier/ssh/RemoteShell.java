package dev.goldsmith.verifier.ssh;

import java.io.IOException;
import java.time.Duration;

/** An open SSH connection as root on a test server, running one command at a time. */
public interface RemoteShell extends AutoCloseable {

  /**
   * Runs {@code command} through root's shell on the server.
   *
   * @throws IOException when the connection itself fails (a channel problem, not a result)
   */
  ExecResult exec(String command, Duration timeout) throws IOException;

  /** The address and family this shell is connected over, e.g. {@code ipv6 [fd00::1]:22}. */
  String endpoint();

  @Override
  void close();
}
