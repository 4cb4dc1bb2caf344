package dev.goldsmith.verifier.ssh;

import java.io.IOException;

/** The SSH channel could not be established; says why in {@link #reason()}. */
public class SshConnectException extends IOException {

  /** Why the channel failed. */
  public enum Reason {
    /** TCP or SSH transport failure (refused, reset, timeout). */
    TRANSPORT,
    /** The server presented a host key other than the pinned one. */
    HOST_KEY_MISMATCH,
    /** The server refused the verifier's key. */
    AUTH_REFUSED
  }

  private final Reason reason;

  public SshConnectException(Reason reason, String message, Throwable cause) {
    super(message, cause);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}
