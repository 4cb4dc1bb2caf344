package dev.goldsmith.emulator.api;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.UriInfo;

import dev.goldsmith.emulator.backend.LabelSelector;
import dev.goldsmith.emulator.wire.Wire;

/** Query parameters of a list request: filters, {@code sort}, {@code page}, {@code per_page}. */
public final class Query {
  private final MultivaluedMap<String, String> params;

  public Query(UriInfo uri) {
    this.params = uri.getQueryParameters();
  }

  public Optional<String> one(String name) {
    List<String> v = params.get(name);
    return v == null || v.isEmpty() ? Optional.empty() : Optional.of(v.get(0));
  }

  /** Every value of a repeatable parameter (repeats mean OR). */
  public List<String> all(String name) {
    List<String> v = params.get(name);
    List<String> out = new ArrayList<>();
    if (v != null) {
      for (String s : v) {
        if (!s.isEmpty()) {
          out.add(s);
        }
      }
    }
    return out;
  }

  /** Values of a repeatable parameter, each one of {@code allowed}. */
  public List<String> enumValues(String name, Set<String> allowed) {
    List<String> values = all(name);
    for (String v : values) {
      if (!allowed.contains(v)) {
        throw ApiException.invalidField(name, "invalid value '" + v + "'");
      }
    }
    return values;
  }

  public List<Long> ids(String name) {
    List<Long> ids = new ArrayList<>();
    for (String v : all(name)) {
      try {
        ids.add(Long.parseLong(v));
      } catch (NumberFormatException e) {
        throw ApiException.invalidField(name, "must be an integer");
      }
    }
    return ids;
  }

  public Optional<Boolean> bool(String name) {
    return one(name)
        .map(
            v -> {
              if (v.equals("true")) {
                return true;
              }
              if (v.equals("false")) {
                return false;
              }
              throw ApiException.invalidField(name, "must be true or false");
            });
  }

  /** The {@code label_selector} parameter; a syntax error is {@code invalid_input}. */
  public Optional<LabelSelector> labelSelector() {
    return one("label_selector")
        .filter(s -> !s.isBlank())
        .map(
            s -> {
              try {
                return LabelSelector.parse(s);
              } catch (LabelSelector.InvalidSelectorException e) {
                throw ApiException.invalidField("label_selector", e.getMessage());
              }
            });
  }

  /**
   * A comparator from the repeatable {@code sort} parameter; {@code fields} maps each sortable
   * field to its key (nulls sort first). Ties fall back to id order through the caller's base
   * ordering, since the sort is stable.
   */
  public <T> Comparator<T> sort(Map<String, Function<T, Comparable<?>>> fields) {
    Comparator<T> result = null;
    for (String spec : all("sort")) {
      String field = spec;
      boolean desc = false;
      int colon = spec.indexOf(':');
      if (colon >= 0) {
        field = spec.substring(0, colon);
        String dir = spec.substring(colon + 1);
        if (dir.equals("desc")) {
          desc = true;
        } else if (!dir.equals("asc")) {
          throw ApiException.invalidField("sort", "invalid sort direction '" + dir + "'");
        }
      }
      Function<T, Comparable<?>> key = fields.get(field);
      if (key == null) {
        throw ApiException.invalidField("sort", "invalid sort field '" + field + "'");
      }
      @SuppressWarnings({"unchecked", "rawtypes"})
      Comparator<T> c =
          Comparator.comparing(
              (Function) key, Comparator.nullsFirst(Comparator.<Comparable>naturalOrder()));
      if (desc) {
        c = c.reversed();
      }
      result = result == null ? c : result.thenComparing(c);
    }
    return result;
  }

  /** Sorts (stable), then cuts one page and builds the six-key pagination. */
  public <T> Page<T> page(List<T> items, Comparator<T> sort) {
    List<T> sorted = new ArrayList<>(items);
    if (sort != null) {
      sorted.sort(sort);
    }
    int page = intParam("page", 1);
    int perPage = intParam("per_page", 25);
    if (page < 1) {
      throw ApiException.invalidField("page", "must be at least 1");
    }
    if (perPage < 1 || perPage > 50) {
      throw ApiException.invalidField("per_page", "must be between 1 and 50");
    }
    int total = sorted.size();
    int lastPage = Math.max(1, (total + perPage - 1) / perPage);
    long from = (long) (page - 1) * perPage;
    List<T> slice =
        from >= total
            ? List.of()
            : sorted.subList((int) from, (int) Math.min(total, from + perPage));
    Integer previous = page > 1 ? Math.min(page - 1, lastPage) : null;
    Integer next = page < lastPage ? page + 1 : null;
    return new Page<>(
        slice, new Wire.Meta(new Wire.Pagination(page, perPage, previous, next, lastPage, total)));
  }

  private int intParam(String name, int dflt) {
    Optional<String> v = one(name);
    if (v.isEmpty() || v.get().isEmpty()) {
      return dflt;
    }
    try {
      return Integer.parseInt(v.get());
    } catch (NumberFormatException e) {
      throw ApiException.invalidField(name, "must be an integer");
    }
  }

  /** One page of results with its meta. */
  public record Page<T>(List<T> items, Wire.Meta meta) {
    /** The list envelope: {@code {<key>: items, meta}}. */
    public Map<String, Object> envelope(String key) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put(key, items);
      m.put("meta", meta);
      return m;
    }
  }
}
