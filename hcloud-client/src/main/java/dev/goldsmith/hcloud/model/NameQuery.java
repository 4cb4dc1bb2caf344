package dev.goldsmith.hcloud.model;

import java.util.ArrayList;
import java.util.List;

/** Filters for the read-only catalogues ({@code /server_types}, {@code /locations}). */
public record NameQuery(String name, List<String> sort, Integer page, Integer perPage) {

  public NameQuery {
    sort = sort == null ? List.of() : List.copyOf(sort);
  }

  /** No filter. */
  public static NameQuery all() {
    return new NameQuery(null, List.of(), null, null);
  }

  /** Exact name. */
  public NameQuery withName(String exact) {
    return new NameQuery(exact, sort, page, perPage);
  }

  /** Adds a sort term such as {@code id:asc}. */
  public NameQuery withSort(String term) {
    List<String> more = new ArrayList<>(sort);
    more.add(term);
    return new NameQuery(name, more, page, perPage);
  }

  /** Page number (from 1) and size (at most 50) for {@code list}. */
  public NameQuery withPage(int page, int perPage) {
    return new NameQuery(name, sort, page, perPage);
  }
}
