package dev.goldsmith.families;

import java.util.List;

/** A family file that cannot be used, with every problem found in it. */
public class FamilyException extends RuntimeException {
  private final List<String> errors;

  public FamilyException(List<String> errors) {
    super(String.join("\n", errors));
    this.errors = List.copyOf(errors);
  }

  public List<String> errors() {
    return errors;
  }
}
