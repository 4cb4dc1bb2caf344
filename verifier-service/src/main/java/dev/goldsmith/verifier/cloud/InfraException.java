package dev.goldsmith.verifier.cloud;

/** A cloud API call failed (after the client's own retries): an infrastructure failure. */
public class InfraException extends RuntimeException {
  public InfraException(String message, Throwable cause) {
    super(message, cause);
  }

  public InfraException(String message) {
    super(message);
  }
}
