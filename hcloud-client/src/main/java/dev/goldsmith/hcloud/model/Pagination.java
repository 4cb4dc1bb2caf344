package dev.goldsmith.hcloud.model;

/**
 * {@code meta.pagination} of a list response.
 *
 * @param previousPage null on the first page
 * @param nextPage null on the last page
 * @param lastPage null when the total is unknown
 * @param totalEntries null when the total is unknown
 */
public record Pagination(
    int page,
    int perPage,
    Integer previousPage,
    Integer nextPage,
    Integer lastPage,
    Long totalEntries) {

  /** True when another page follows. */
  public boolean hasNext() {
    return nextPage != null;
  }
}
