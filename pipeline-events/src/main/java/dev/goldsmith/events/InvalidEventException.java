package dev.goldsmith.events;

import java.util.List;

/**
 * An event that cannot be read or does not satisfy its contract. Carries every problem found, so
 * the dead-letter record and the rejection name them all at once.
 */
public class InvalidEventException extends RuntimeException {
  private final List<String> errors;

  public InvalidEventException(List<String> errors) {
    this(errors, null);
  }

  public InvalidEventException(List<String> errors, Throwable cause) {
    super(String.join("; ", errors), cause);
    this.errors = List.copyOf(errors);
  }

  public List<String> errors() {
    return errors;
  }
}
