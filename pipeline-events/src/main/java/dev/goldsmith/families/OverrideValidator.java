package dev.goldsmith.families;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Checks a request's {@code extraVars} against its family and the roles' argument specs, reporting
 * every problem at once: a variable the family does not list as overridable, a value of the wrong
 * type, a string anywhere (nested values and keys included) that holds a template delimiter, a path
 * where a file name is expected, and a role file that is absolute, uses {@code ..} or leaves the
 * role's {@code files/} (links followed). Pure apart from reading the roles' files directories.
 */
public final class OverrideValidator {
  /** Every opening delimiter of Jinja: expressions, statements, comments. */
  static final List<String> TEMPLATE_DELIMITERS = List.of("{{", "{%", "{#");

  private final RoleSpecs specs;

  public OverrideValidator(RoleSpecs specs) {
    this.specs = specs;
  }

  /** Every problem with the overrides of a request for {@code family}; empty when acceptable. */
  public List<String> problems(Family family, Map<String, Object> overrides) {
    List<String> errors = new ArrayList<>();
    if (overrides == null || overrides.isEmpty()) {
      return errors;
    }
    List<String> overridable = family.overridable();
    for (Map.Entry<String, Object> e : overrides.entrySet()) {
      String path = "extraVars." + e.getKey();
      templates(errors, path, e.getValue());
      if (!overridable.contains(e.getKey())) {
        errors.add(
            path
                + ": not overridable in family '"
                + family.name()
                + "' ("
                + (overridable.isEmpty()
                    ? "it declares no overridable variables"
                    : "overridable: " + String.join(", ", new TreeSet<>(overridable)))
                + ")");
        continue;
      }
      var spec = specs.variable(e.getKey());
      if (spec.isEmpty()) {
        errors.add(path + ": no role declares it in meta/argument_specs.yml");
        continue;
      }
      check(errors, path, e.getValue(), spec.get());
    }
    return errors;
  }

  /** Template delimiters in any string of a value, keys of mappings included. */
  private static void templates(List<String> errors, String path, Object value) {
    if (value instanceof String s) {
      delimiter(s)
          .ifPresent(
              d ->
                  errors.add(
                      path
                          + ": contains the template delimiter '"
                          + d
                          + "'; request values are data, never templates"));
    } else if (value instanceof Map<?, ?> m) {
      for (Map.Entry<?, ?> e : m.entrySet()) {
        String key = String.valueOf(e.getKey());
        delimiter(key)
            .ifPresent(
                d ->
                    errors.add(
                        path
                            + ": key '"
                            + key
                            + "' contains the template delimiter '"
                            + d
                            + "'; request values are data, never templates"));
        templates(errors, path + "." + key, e.getValue());
      }
    } else if (value instanceof List<?> l) {
      for (int i = 0; i < l.size(); i++) {
        templates(errors, path + "[" + i + "]", l.get(i));
      }
    }
  }

  private static java.util.Optional<String> delimiter(String s) {
    return TEMPLATE_DELIMITERS.stream().filter(s::contains).findFirst();
  }

  private void check(List<String> errors, String path, Object value, OptionSpec spec) {
    switch (spec.type()) {
      case RAW -> {}
      case STR -> {
        if (isType(errors, path, value, spec, value instanceof String)) {
          kind(errors, path, (String) value, spec);
        }
      }
      case PATH -> {
        if (isType(errors, path, value, spec, value instanceof String)) {
          String p = (String) value;
          if (!p.startsWith("/") || segments(p).contains("..")) {
            errors.add(path + ": '" + p + "' must be an absolute path without '..' on the builder");
          }
        }
      }
      case INT ->
          isType(
              errors,
              path,
              value,
              spec,
              value instanceof Integer || value instanceof Long || value instanceof BigInteger);
      case FLOAT -> isType(errors, path, value, spec, value instanceof Number);
      case BOOL -> isType(errors, path, value, spec, value instanceof Boolean);
      case LIST -> {
        if (isType(errors, path, value, spec, value instanceof List<?>)) {
          List<?> list = (List<?>) value;
          for (int i = 0; i < list.size(); i++) {
            check(errors, path + "[" + i + "]", list.get(i), spec.element());
          }
        }
      }
      case DICT -> {
        if (isType(errors, path, value, spec, value instanceof Map<?, ?>)) {
          suboptions(errors, path, (Map<?, ?>) value, spec);
        }
      }
    }
  }

  private void suboptions(List<String> errors, String path, Map<?, ?> map, OptionSpec spec) {
    if (spec.options().isEmpty()) {
      return;
    }
    for (Map.Entry<?, ?> e : map.entrySet()) {
      String key = String.valueOf(e.getKey());
      OptionSpec sub = spec.options().get(key);
      if (sub == null) {
        errors.add(
            path
                + "."
                + key
                + ": unknown key (allowed: "
                + String.join(", ", new TreeSet<>(spec.options().keySet()))
                + ")");
      } else {
        check(errors, path + "." + key, e.getValue(), sub);
      }
    }
    for (OptionSpec sub : spec.options().values()) {
      if (sub.required() && !map.containsKey(sub.name())) {
        errors.add(path + "." + sub.name() + ": is required");
      }
    }
  }

  private void kind(List<String> errors, String path, String s, OptionSpec spec) {
    switch (spec.kind()) {
      case PLAIN -> {}
      case FILE_NAME -> {
        if (s.isEmpty() || s.contains("/") || s.equals(".") || s.equals("..") || s.contains("\0")) {
          errors.add(path + ": '" + s + "' must be a file name, not a path (no '/')");
        }
      }
      case ROLE_FILE -> roleFile(errors, path, s, spec.role());
    }
  }

  /** A file of the role's files/: relative, no '..', and resolved (links followed) inside it. */
  private void roleFile(List<String> errors, String path, String s, String role) {
    String where = "a file of role " + role + "'s files/ directory";
    if (s.isEmpty() || s.startsWith("/") || s.contains("\0")) {
      errors.add(
          path + ": '" + s + "' must be " + where + ", relative to it, not a controller path");
      return;
    }
    if (segments(s).contains("..")) {
      errors.add(path + ": '" + s + "' must be " + where + " without '..'");
      return;
    }
    Path files = specs.filesDir(role);
    try {
      Path root = files.toRealPath();
      Path target = files.resolve(s);
      if (!Files.isRegularFile(target)) {
        errors.add(path + ": '" + s + "' is not " + where);
      } else if (!target.toRealPath().startsWith(root)) {
        errors.add(
            path + ": '" + s + "' leaves role " + role + "'s files/ directory through a link");
      }
    } catch (IOException e) {
      errors.add(
          path + ": '" + s + "' is not " + where + " (" + e.getClass().getSimpleName() + ")");
    }
  }

  private static List<String> segments(String p) {
    return Arrays.asList(p.split("/"));
  }

  private static boolean isType(
      List<String> errors, String path, Object value, OptionSpec spec, boolean ok) {
    if (!ok) {
      String expected =
          spec.type() == OptionSpec.Type.LIST && spec.elements() != null
              ? "list of " + spec.elements().wire()
              : spec.type().wire();
      errors.add(
          path
              + ": must be of type "
              + expected
              + " (role "
              + spec.role()
              + "'s argument spec), got "
              + jsonType(value));
    }
    return ok;
  }

  private static String jsonType(Object value) {
    if (value == null) {
      return "null";
    }
    if (value instanceof String) {
      return "string";
    }
    if (value instanceof Boolean) {
      return "boolean";
    }
    if (value instanceof Integer || value instanceof Long || value instanceof BigInteger) {
      return "integer";
    }
    if (value instanceof Number) {
      return "number";
    }
    if (value instanceof List<?>) {
      return "list";
    }
    if (value instanceof Map<?, ?>) {
      return "mapping";
    }
    return value.getClass().getSimpleName();
  }
}
