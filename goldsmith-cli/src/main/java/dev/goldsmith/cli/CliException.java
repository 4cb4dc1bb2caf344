package dev.goldsmith.cli;

/** A failure the CLI reports as one line on stderr, exiting with {@link #exitCode}. */
public class CliException extends RuntimeException {
  private final int exitCode;

  public CliException(int exitCode, String message) {
    super(message);
    this.exitCode = exitCode;
  }

  public int exitCode() {
    return exitCode;
  }
}
