package dev.goldsmith.emulator.backend;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A control-API rule (HTTP fault or server fault) that does not validate. It carries every problem
 * at once, per field, so the control API can answer with all of them in one {@code invalid_input}
 * response.
 */
public final class InvalidRuleException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  private final transient Map<String, List<String>> fields;

  private InvalidRuleException(String what, Map<String, List<String>> fields) {
    super(
        "invalid "
            + what
            + ": "
            + fields.entrySet().stream()
                .map(e -> e.getKey() + ": " + String.join(", ", e.getValue()))
                .collect(Collectors.joining("; ")));
    this.fields = fields;
  }

  /** Field name → its messages, in the order they were found. */
  public Map<String, List<String>> fields() {
    return fields;
  }

  /** Collects the problems of one rule; {@link #throwIfAny()} throws them together. */
  public static final class Collector {
    private final String what;
    private final Map<String, List<String>> fields = new LinkedHashMap<>();

    public Collector(String what) {
      this.what = what;
    }

    public void add(String field, String message) {
      fields.computeIfAbsent(field, k -> new ArrayList<>()).add(message);
    }

    public boolean has(String field) {
      return fields.containsKey(field);
    }

    public void throwIfAny() {
      if (!fields.isEmpty()) {
        throw new InvalidRuleException(what, Map.copyOf(fields));
      }
    }
  }
}
