package dev.goldsmith.emulator.backend;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A parsed {@code label_selector}: comma-separated terms (commas inside parentheses do not split),
 * all of which must hold. Terms: {@code k=v}, {@code k==v}, {@code k!=v}, {@code k}, {@code !k},
 * {@code k in (a,b)}, {@code k notin (a,b)}. {@code k!=v} also matches resources without {@code k},
 * as in Kubernetes.
 *
 * <p>Shared by the API's list filters and the server-fault rules of both backends, so a selector
 * means the same everywhere.
 */
public final class LabelSelector implements Predicate<Map<String, String>> {

  private static final String KEY = "[A-Za-z0-9]([A-Za-z0-9._/-]*[A-Za-z0-9])?";
  private static final Pattern SET_TERM =
      Pattern.compile("^(" + KEY + ")\\s+(in|notin)\\s*\\((.*)\\)$");
  private static final Pattern EQ_TERM = Pattern.compile("^(" + KEY + ")\\s*(==|!=|=)\\s*(.*)$");
  private static final Pattern EXISTS_TERM = Pattern.compile("^(!?)\\s*(" + KEY + ")$");
  private static final Pattern VALUE =
      Pattern.compile("^([A-Za-z0-9]([A-Za-z0-9._-]*[A-Za-z0-9])?)?$");

  private final List<Predicate<Map<String, String>>> terms;

  private LabelSelector(List<Predicate<Map<String, String>>> terms) {
    this.terms = terms;
  }

  /** Parses a selector; a syntax error is an {@link InvalidSelectorException}. */
  public static LabelSelector parse(String selector) {
    List<Predicate<Map<String, String>>> terms = new ArrayList<>();
    for (String raw : split(selector)) {
      String term = raw.trim();
      if (term.isEmpty()) {
        throw invalid(selector);
      }
      terms.add(term(term, selector));
    }
    return new LabelSelector(terms);
  }

  private static Predicate<Map<String, String>> term(String term, String selector) {
    Matcher m = SET_TERM.matcher(term);
    if (m.matches()) {
      String key = m.group(1);
      boolean in = m.group(3).equals("in");
      Set<String> values = new java.util.HashSet<>();
      for (String v : m.group(4).split(",", -1)) {
        String value = v.trim();
        if (!VALUE.matcher(value).matches()) {
          throw invalid(selector);
        }
        values.add(value);
      }
      if (in) {
        return labels -> labels.containsKey(key) && values.contains(labels.get(key));
      }
      return labels -> !labels.containsKey(key) || !values.contains(labels.get(key));
    }
    m = EQ_TERM.matcher(term);
    if (m.matches()) {
      String key = m.group(1);
      String value = m.group(4).trim();
      if (!VALUE.matcher(value).matches()) {
        throw invalid(selector);
      }
      if (m.group(3).equals("!=")) {
        return labels -> !value.equals(labels.get(key));
      }
      return labels -> value.equals(labels.get(key));
    }
    m = EXISTS_TERM.matcher(term);
    if (m.matches()) {
      String key = m.group(2);
      if (m.group(1).isEmpty()) {
        return labels -> labels.containsKey(key);
      }
      return labels -> !labels.containsKey(key);
    }
    throw invalid(selector);
  }

  /** Splits on commas that are not inside parentheses. */
  public static List<String> split(String selector) {
    List<String> parts = new ArrayList<>();
    int depth = 0;
    StringBuilder current = new StringBuilder();
    for (char c : selector.toCharArray()) {
      if (c == '(') {
        depth++;
      } else if (c == ')') {
        depth--;
        if (depth < 0) {
          throw invalid(selector);
        }
      }
      if (c == ',' && depth == 0) {
        parts.add(current.toString());
        current.setLength(0);
      } else {
        current.append(c);
      }
    }
    if (depth != 0) {
      throw invalid(selector);
    }
    parts.add(current.toString());
    return parts;
  }

  private static InvalidSelectorException invalid(String selector) {
    return new InvalidSelectorException("invalid label selector: " + selector);
  }

  /** A selector that does not parse; the message names the selector. */
  public static final class InvalidSelectorException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    InvalidSelectorException(String message) {
      super(message);
    }
  }

  @Override
  public boolean test(Map<String, String> labels) {
    for (Predicate<Map<String, String>> t : terms) {
      if (!t.test(labels)) {
        return false;
      }
    }
    return true;
  }
}
