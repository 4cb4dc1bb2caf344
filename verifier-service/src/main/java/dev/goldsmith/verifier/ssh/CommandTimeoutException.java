package dev.goldsmith.verifier.ssh;

import java.io.IOException;

/**
 * The verifier gave up waiting for a command on an open session: the session stalled (the path
 * dropped, the server froze). A channel failure, never a result about the image: what the command
 * would have printed is unknown. A probe the server itself stops ({@code /usr/bin/timeout}, exit
 * 124) is a result, and is not this.
 */
public class CommandTimeoutException extends IOException {
  public CommandTimeoutException(String message) {
    super(message);
  }
}
