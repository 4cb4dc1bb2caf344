package dev.goldsmith.hcloud.label;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * A label selector for {@code label_selector} query parameters: terms joined by commas (AND).
 *
 * <pre>{@code
 * String sel = LabelSelector.builder()
 *     .eq("goldsmith.dev/role", "golden")
 *     .in("arch", List.of("x86", "arm"))
 *     .absent("deprecated")
 *     .build()
 *     .toString(); // goldsmith.dev/role=golden,arch in (x86,arm),!deprecated
 * }</pre>
 *
 * Keys and values are checked against the label rules of the API ({@link Labels}) when the term is
 * added, so a selector never carries a comma or bracket that would change its meaning.
 */
public final class LabelSelector {

  private final List<String> terms;

  private LabelSelector(List<String> terms) {
    this.terms = List.copyOf(terms);
  }

  /** An empty builder. */
  public static Builder builder() {
    return new Builder();
  }

  /** A selector requiring every entry of {@code labels} ({@code k=v} terms). */
  public static LabelSelector matching(Map<String, String> labels) {
    Builder b = builder();
    labels.forEach(b::eq);
    return b.build();
  }

  /** The terms in order. */
  public List<String> terms() {
    return terms;
  }

  /** True when there is no term (matches everything). */
  public boolean isEmpty() {
    return terms.isEmpty();
  }

  /** The expression as sent in {@code label_selector}. */
  @Override
  public String toString() {
    return String.join(",", terms);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof LabelSelector && ((LabelSelector) o).terms.equals(terms);
  }

  @Override
  public int hashCode() {
    return terms.hashCode();
  }

  /** Builder for {@link LabelSelector}; every method adds one term. */
  public static final class Builder {
    private final List<String> terms = new ArrayList<>();

    private Builder() {}

    /** {@code key=value}. */
    public Builder eq(String key, String value) {
      terms.add(key(key) + "=" + value(value));
      return this;
    }

    /** {@code key!=value}. */
    public Builder notEq(String key, String value) {
      terms.add(key(key) + "!=" + value(value));
      return this;
    }

    /** {@code key}: the label is present. */
    public Builder present(String key) {
      terms.add(key(key));
      return this;
    }

    /** {@code !key}: the label is absent. */
    public Builder absent(String key) {
      terms.add("!" + key(key));
      return this;
    }

    /** {@code key in (v1,v2)}. */
    public Builder in(String key, Collection<String> values) {
      terms.add(key(key) + " in (" + values(values) + ")");
      return this;
    }

    /** {@code key notin (v1,v2)}. */
    public Builder notIn(String key, Collection<String> values) {
      terms.add(key(key) + " notin (" + values(values) + ")");
      return this;
    }

    public LabelSelector build() {
      return new LabelSelector(terms);
    }

    private static String key(String key) {
      List<String> problems = Labels.checkKey(key);
      if (!problems.isEmpty()) {
        throw new IllegalArgumentException(String.join("; ", problems));
      }
      return key;
    }

    private static String value(String value) {
      List<String> problems = Labels.checkValue(value);
      if (!problems.isEmpty()) {
        throw new IllegalArgumentException(String.join("; ", problems));
      }
      return value;
    }

    private static String values(Collection<String> values) {
      if (values.isEmpty()) {
        throw new IllegalArgumentException("a set term needs at least one value");
      }
      List<String> checked = new ArrayList<>();
      for (String v : values) {
        checked.add(value(v));
      }
      return String.join(",", checked);
    }
  }
}
