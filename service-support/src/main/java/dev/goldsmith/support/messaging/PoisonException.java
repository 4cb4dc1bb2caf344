package dev.goldsmith.support.messaging;

/**
 * Thrown by a handler for a record that can never succeed although it decoded (e.g. an event on a
 * topic it does not belong to). The consumer helper parks it on the dead-letter topic with this
 * message as the reason; any other failure is retried in place.
 */
public class PoisonException extends RuntimeException {
  public PoisonException(String reason) {
    super(reason);
  }

  public PoisonException(String reason, Throwable cause) {
    super(reason, cause);
  }
}
