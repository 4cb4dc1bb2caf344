package dev.goldsmith.provisioner.provisioning;

/**
 * A run that stopped without an outcome: the process is shutting down, or a dependency (cloud API,
 * broker) failed transiently. Nothing is published and nothing cleaned up; the record is retried in
 * place by the consumer policy, or handed back un-acked on shutdown and redelivered.
 */
public final class RunAbortedException extends RuntimeException {
  public RunAbortedException(String message, Throwable cause) {
    super(message, cause);
  }
}
