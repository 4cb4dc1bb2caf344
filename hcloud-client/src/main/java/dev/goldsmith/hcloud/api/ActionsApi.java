package dev.goldsmith.hcloud.api;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

import io.smallrye.mutiny.Uni;

import dev.goldsmith.hcloud.model.Action;

/** {@code /actions} and waiting for actions. */
public interface ActionsApi {

  /** {@code GET /actions/{id}}; empty on 404. */
  Uni<Optional<Action>> get(long id);

  /** {@code GET /actions?id=…} for every id (chunked), in the order of {@code ids}. */
  Uni<List<Action>> getAll(Collection<Long> ids);

  /**
   * Waits until every action has ended. Polls only the still-running ones through {@code GET
   * /actions?id=…}, starting after the configured initial interval (1 s) and backing off to the
   * configured cap.
   *
   * @param timeout deadline of this call
   * @param onProgress called with each poll's fresh state of every still-watched action; may be
   *     null
   * @return the finished actions (all {@code success}), in the order given
   * @throws dev.goldsmith.hcloud.error.ActionFailedException as soon as one action ends in error
   * @throws dev.goldsmith.hcloud.error.ActionWaitTimeoutException when the deadline passes
   * @throws dev.goldsmith.hcloud.error.ActionVanishedException when the API no longer returns one
   */
  Uni<List<Action>> waitFor(
      Collection<Action> actions, Duration timeout, Consumer<List<Action>> onProgress);

  /** {@link #waitFor(Collection, Duration, Consumer)} without progress callback. */
  default Uni<List<Action>> waitFor(Collection<Action> actions, Duration timeout) {
    return waitFor(actions, timeout, null);
  }

  /** Waits with the configured default deadline. */
  Uni<List<Action>> waitFor(Collection<Action> actions);

  /** Waits for one action with a deadline. */
  default Uni<Action> waitFor(Action action, Duration timeout) {
    return waitFor(List.of(action), timeout, null).map(l -> l.get(0));
  }

  /** Waits for one action with the configured default deadline. */
  default Uni<Action> waitFor(Action action) {
    return waitFor(List.of(action)).map(l -> l.get(0));
  }

  default Optional<Action> getAndAwait(long id) {
    return Await.result(get(id));
  }

  default List<Action> getAllAndAwait(Collection<Long> ids) {
    return Await.result(getAll(ids));
  }

  default List<Action> waitForAndAwait(Collection<Action> actions, Duration timeout) {
    return Await.result(waitFor(actions, timeout));
  }

  default List<Action> waitForAndAwait(Collection<Action> actions) {
    return Await.result(waitFor(actions));
  }

  default Action waitForAndAwait(Action action, Duration timeout) {
    return Await.result(waitFor(action, timeout));
  }

  default Action waitForAndAwait(Action action) {
    return Await.result(waitFor(action));
  }
}
