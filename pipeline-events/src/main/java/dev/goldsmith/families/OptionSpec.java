package dev.goldsmith.families;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * One option of a role's {@code meta/argument_specs.yml}, as Goldsmith checks a request's value
 * against it.
 *
 * @param name the option (a role variable, or a sub-option of a dict)
 * @param role the role declaring it
 * @param type Ansible's type ({@code type:}, default {@code str})
 * @param elements the type of a list's elements ({@code elements:}), null when not a list
 * @param kind what a string means beyond its type, from the description's tag
 * @param options sub-options of a dict, or of the dict elements of a list; empty when free-form
 * @param required whether a dict (element) must carry this sub-option
 */
public record OptionSpec(
    String name,
    String role,
    Type type,
    Type elements,
    Kind kind,
    Map<String, OptionSpec> options,
    boolean required) {

  public OptionSpec {
    options = Map.copyOf(options);
  }

  /** Ansible's argument spec types that an override may have. */
  public enum Type {
    STR,
    INT,
    FLOAT,
    BOOL,
    LIST,
    DICT,
    PATH,
    RAW;

    /** The type as written in argument_specs.yml, e.g. {@code str}. */
    public String wire() {
      return name().toLowerCase(Locale.ROOT);
    }

    /** The type of a wire name, empty for one overrides cannot have (jsonarg, bytes, bits, …). */
    public static Optional<Type> fromWire(String wire) {
      for (Type t : values()) {
        if (t.wire().equals(wire)) {
          return Optional.of(t);
        }
      }
      return Optional.empty();
    }
  }

  /**
   * What a string names, declared by a tag at the start of the option's description (Ansible's spec
   * schema allows no keys of our own).
   */
  public enum Kind {
    /** Any string of the type. */
    PLAIN(""),
    /**
     * {@code [file name]}: one file name, no directory (no {@code /}, not {@code .} or {@code ..}).
     */
    FILE_NAME("[file name]"),
    /**
     * {@code [role file]}: a file of the declaring role's {@code files/}, relative to it; resolved
     * (links followed) it must stay inside that directory.
     */
    ROLE_FILE("[role file]");

    private final String tag;

    Kind(String tag) {
      this.tag = tag;
    }

    public String tag() {
      return tag;
    }

    /** The kind a description declares. */
    static Kind ofDescription(String description) {
      String d = description == null ? "" : description.strip();
      for (Kind k : values()) {
        if (!k.tag.isEmpty() && d.startsWith(k.tag)) {
          return k;
        }
      }
      return PLAIN;
    }
  }

  /** The spec of one element of this list option. */
  OptionSpec element() {
    return new OptionSpec(name, role, elements, null, kind, options, false);
  }
}
