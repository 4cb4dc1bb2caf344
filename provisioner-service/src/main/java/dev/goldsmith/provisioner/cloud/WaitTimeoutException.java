package dev.goldsmith.provisioner.cloud;

/** A polled state was not reached within its deadline. */
public class WaitTimeoutException extends RuntimeException {
  public WaitTimeoutException(String message) {
    super(message);
  }
}
