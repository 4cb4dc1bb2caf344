package dev.goldsmith.hcloud.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

import io.smallrye.mutiny.Uni;

import dev.goldsmith.hcloud.error.HcloudApiException;
import dev.goldsmith.hcloud.error.HcloudErrorCode;
import dev.goldsmith.hcloud.model.Page;

/** Shared helpers for lookups and paging. */
final class Calls {

  /** Page size used when walking all pages. */
  static final int ALL_PER_PAGE = 50;

  private Calls() {}

  /** A lookup: a 404 {@code not_found} becomes {@code Optional.empty()}. */
  static <T> Uni<Optional<T>> optional(Uni<T> call) {
    return call.map(Optional::ofNullable)
        .onFailure(Calls::isNotFound)
        .recoverWithItem(Optional.empty());
  }

  static boolean isNotFound(Throwable t) {
    return t instanceof HcloudApiException
        && ((HcloudApiException) t).code() == HcloudErrorCode.NOT_FOUND;
  }

  /** Fetches page 1, then follows {@code next_page} until it is null. */
  static <T> Uni<List<T>> all(Function<Integer, Uni<Page<T>>> fetchPage) {
    List<T> acc = new ArrayList<>();
    return walk(fetchPage, 1, acc, 0);
  }

  private static <T> Uni<List<T>> walk(
      Function<Integer, Uni<Page<T>>> fetchPage, int page, List<T> acc, int seen) {
    return fetchPage
        .apply(page)
        .chain(
            p -> {
              acc.addAll(p.items());
              Integer next = p.pagination() == null ? null : p.pagination().nextPage();
              // A next_page that does not move forward would loop forever.
              if (next == null || next <= page || seen > 10_000) {
                return Uni.createFrom().item(List.copyOf(acc));
              }
              return walk(fetchPage, next, acc, seen + 1);
            });
  }

  /** The first item of a page, if any. */
  static <T> Optional<T> first(Page<T> page) {
    return page.items().isEmpty() ? Optional.empty() : Optional.of(page.items().get(0));
  }
}
