package dev.goldsmith.verifier.ssh;

import java.io.IOException;
import java.time.Duration;

/**
 * A shell whose every command either answers or fails the channel: a command the verifier gave up
 * waiting for ({@link ExecResult#timedOut()}) throws {@link CommandTimeoutException}, so no check
 * can read a stalled session as an empty listing or a failing binary.
 */
public final class StrictShell extends ForwardingShell {

  private StrictShell(RemoteShell shell) {
    super(shell);
  }

  /** {@code shell}, strict. */
  public static RemoteShell of(RemoteShell shell) {
    return shell instanceof StrictShell ? shell : new StrictShell(shell);
  }

  @Override
  public ExecResult exec(String command, Duration timeout) throws IOException {
    ExecResult r = shell.exec(command, timeout);
    if (r.timedOut()) {
      throw new CommandTimeoutException(
          "no answer within "
              + timeout.toMillis()
              + " ms on "
              + shell.endpoint()
              + " (session stalled): "
              + firstWord(command));
    }
    return r;
  }

  private static String firstWord(String command) {
    String c = command.strip();
    int cut = c.indexOf(' ');
    return cut < 0 ? c : c.substring(0, cut) + " …";
  }
}
