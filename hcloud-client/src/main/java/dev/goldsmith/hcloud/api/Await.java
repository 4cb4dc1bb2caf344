package dev.goldsmith.hcloud.api;

import io.smallrye.mutiny.Uni;

/** Blocks on a {@code Uni} for the {@code …AndAwait} twins. */
final class Await {

  private Await() {}

  /**
   * Every request has its own timeout and every wait its own deadline, so waiting without a bound
   * here cannot hang forever. Failures are rethrown unchanged (all are unchecked).
   */
  static <T> T result(Uni<T> uni) {
    return uni.await().indefinitely();
  }
}
