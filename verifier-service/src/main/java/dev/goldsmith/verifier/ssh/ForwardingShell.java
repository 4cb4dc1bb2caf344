package dev.goldsmith.verifier.ssh;

import java.io.IOException;
import java.time.Duration;

/** A shell that hands everything to another; subclasses change what {@link #exec} does. */
public abstract class ForwardingShell implements RemoteShell {
  protected final RemoteShell shell;

  protected ForwardingShell(RemoteShell shell) {
    this.shell = shell;
  }

  @Override
  public ExecResult exec(String command, Duration timeout) throws IOException {
    return shell.exec(command, timeout);
  }

  @Override
  public String endpoint() {
    return shell.endpoint();
  }

  @Override
  public void close() {
    shell.close();
  }
}
