package dev.goldsmith.hcloud.model;

import java.util.List;
import java.util.Optional;

/** One page of a list response. */
public record Page<T>(List<T> items, Pagination pagination) {

  public Page {
    items = items == null ? List.of() : List.copyOf(items);
  }

  /** The next page number, if there is one. */
  public Optional<Integer> nextPage() {
    return pagination == null ? Optional.empty() : Optional.ofNullable(pagination.nextPage());
  }
}
