package dev.goldsmith.configurator.ansible;

/**
 * A playbook run was killed (or never started) because the service is shutting down. It says
 * nothing about the builder: no outcome is recorded or published, and the record is handed back
 * un-acked so that another instance, or this one after its restart, runs it again.
 */
public class RunCancelledException extends RuntimeException {
  public RunCancelledException(String message) {
    super(message);
  }
}
