package dev.goldsmith.registry.api;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import dev.goldsmith.events.Patterns;

/** Checks request parameters, collecting every problem before answering 400. */
final class Params {
  static final int MAX_SIZE = 100;
  private final List<Problem.FieldProblem> errors = new ArrayList<>();

  String family(String name, String value) {
    if (value != null && !value.matches(Patterns.FAMILY)) {
      errors.add(new Problem.FieldProblem(name, "must match " + Patterns.FAMILY));
      return null;
    }
    return value;
  }

  String version(String name, String value) {
    if (value != null && !value.matches(Patterns.VERSION)) {
      errors.add(new Problem.FieldProblem(name, "must match " + Patterns.VERSION));
      return null;
    }
    return value;
  }

  int page(Integer page) {
    if (page != null && page < 0) {
      errors.add(new Problem.FieldProblem("page", "must be 0 or more"));
      return 0;
    }
    return page == null ? 0 : page;
  }

  int size(Integer size) {
    if (size != null && (size < 1 || size > MAX_SIZE)) {
      errors.add(new Problem.FieldProblem("size", "must be from 1 to " + MAX_SIZE));
      return 20;
    }
    return size == null ? 20 : size;
  }

  Instant instant(String name, String value) {
    if (value == null) {
      return null;
    }
    try {
      return Instant.parse(value);
    } catch (DateTimeParseException e) {
      errors.add(
          new Problem.FieldProblem(name, "must be an RFC 3339 UTC time like 2026-11-25T10:00:00Z"));
      return null;
    }
  }

  UUID uuid(String name, String value) {
    try {
      return UUID.fromString(value);
    } catch (RuntimeException e) {
      errors.add(new Problem.FieldProblem(name, "must be a UUID"));
      return null;
    }
  }

  <E extends Enum<E>> E enumValue(String name, String value, Class<E> type) {
    if (value == null) {
      return null;
    }
    try {
      return Enum.valueOf(type, value.toUpperCase(java.util.Locale.ROOT));
    } catch (IllegalArgumentException e) {
      errors.add(
          new Problem.FieldProblem(
              name, "must be one of " + java.util.Arrays.toString(type.getEnumConstants())));
      return null;
    }
  }

  /** Throws a 400 with every problem found, if any. */
  /** A required free-text reason (who acts must say why), at most 500 characters. */
  String reason(String name, String value) {
    if (value == null || value.isBlank()) {
      errors.add(new Problem.FieldProblem(name, "is required: say why"));
      return null;
    }
    if (value.length() > 500) {
      errors.add(new Problem.FieldProblem(name, "must be at most 500 characters"));
      return null;
    }
    return value.trim();
  }

  void check() {
    if (!errors.isEmpty()) {
      throw ApiException.badRequest(errors);
    }
  }
}
