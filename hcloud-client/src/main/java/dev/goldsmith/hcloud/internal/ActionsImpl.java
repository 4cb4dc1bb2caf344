package dev.goldsmith.hcloud.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

import org.jboss.logging.Logger;

import io.smallrye.mutiny.Uni;

import dev.goldsmith.hcloud.ActionPollSettings;
import dev.goldsmith.hcloud.api.ActionsApi;
import dev.goldsmith.hcloud.error.ActionFailedException;
import dev.goldsmith.hcloud.error.ActionVanishedException;
import dev.goldsmith.hcloud.error.ActionWaitTimeoutException;
import dev.goldsmith.hcloud.model.Action;
import dev.goldsmith.hcloud.model.ActionStatus;

/** {@link ActionsApi} over the request path, including the action waiter. */
public final class ActionsImpl implements ActionsApi {

  private static final Logger LOG = Logger.getLogger("dev.goldsmith.hcloud");

  private final RequestExecutor http;
  private final ActionPollSettings poll;

  public ActionsImpl(RequestExecutor http, ActionPollSettings poll) {
    this.http = http;
    this.poll = poll;
  }

  @Override
  public Uni<Optional<Action>> get(long id) {
    return Calls.optional(
        http.send("GET", "/actions/" + id, null).map(e -> Json.member(e, "action", Action.class)));
  }

  @Override
  public Uni<List<Action>> getAll(Collection<Long> ids) {
    List<Long> all = List.copyOf(ids);
    if (all.isEmpty()) {
      return Uni.createFrom().item(List.of());
    }
    List<Uni<List<Action>>> chunks = new ArrayList<>();
    for (int i = 0; i < all.size(); i += poll.idsPerRequest()) {
      List<Long> chunk = all.subList(i, Math.min(all.size(), i + poll.idsPerRequest()));
      chunks.add(fetchChunk(chunk));
    }
    // Chunks run one after another: a wait should not burst the shared rate-limit budget.
    Uni<List<Action>> acc = Uni.createFrom().item(new ArrayList<>());
    for (Uni<List<Action>> c : chunks) {
      acc =
          acc.chain(
              sofar ->
                  c.map(
                      more -> {
                        List<Action> joined = new ArrayList<>(sofar);
                        joined.addAll(more);
                        return joined;
                      }));
    }
    return acc.map(
        found -> {
          Map<Long, Action> byId = new LinkedHashMap<>();
          found.forEach(a -> byId.put(a.id(), a));
          List<Action> ordered = new ArrayList<>();
          for (Long id : all) {
            Action a = byId.get(id);
            if (a != null) {
              ordered.add(a);
            }
          }
          return ordered;
        });
  }

  private Uni<List<Action>> fetchChunk(List<Long> ids) {
    return Calls.all(
        page -> {
          QueryString qs =
              new QueryString().addAll("id", ids).add("page", page).add("per_page", 50);
          return http.send("GET", "/actions" + qs, null)
              .map(e -> Json.page(e, "actions", Action.class));
        });
  }

  @Override
  public Uni<List<Action>> waitFor(Collection<Action> actions) {
    return waitFor(actions, poll.defaultTimeout(), null);
  }

  @Override
  public Uni<List<Action>> waitFor(
      Collection<Action> actions, Duration timeout, Consumer<List<Action>> onProgress) {
    List<Action> watched = List.copyOf(actions);
    // The deadline starts when the wait is subscribed to, not when the Uni is built.
    return Uni.createFrom().deferred(() -> new Wait(watched, timeout, onProgress).start());
  }

  /** The state of one wait. */
  private final class Wait {
    private final Map<Long, Action> latest = new LinkedHashMap<>();
    private final Duration timeout;
    private final long deadlineNanos;
    private final Consumer<List<Action>> onProgress;

    Wait(Collection<Action> actions, Duration timeout, Consumer<List<Action>> onProgress) {
      actions.forEach(a -> latest.put(a.id(), a));
      this.timeout = timeout;
      this.deadlineNanos = System.nanoTime() + timeout.toNanos();
      this.onProgress = onProgress;
    }

    Uni<List<Action>> start() {
      Uni<List<Action>> outcome = check();
      if (outcome != null) {
        return outcome;
      }
      return loop(poll.initialInterval())
          .ifNoItem()
          .after(timeout.plusMillis(250))
          .failWith(() -> new ActionWaitTimeoutException(pending(), timeout));
    }

    private List<Long> pending() {
      List<Long> ids = new ArrayList<>();
      latest
          .values()
          .forEach(
              a -> {
                if (!a.isDone()) {
                  ids.add(a.id());
                }
              });
      return ids;
    }

    /** A terminal outcome if there is one now, else null. */
    private Uni<List<Action>> check() {
      for (Action a : latest.values()) {
        if (a.status() == ActionStatus.ERROR) {
          return Uni.createFrom().failure(new ActionFailedException(a));
        }
      }
      if (pending().isEmpty()) {
        return Uni.createFrom().item(List.copyOf(latest.values()));
      }
      return null;
    }

    private Uni<List<Action>> loop(Duration interval) {
      long left = deadlineNanos - System.nanoTime();
      if (left <= 0) {
        return Uni.createFrom().failure(new ActionWaitTimeoutException(pending(), timeout));
      }
      Duration sleep = Duration.ofNanos(Math.min(interval.toNanos(), left));
      Duration next =
          Duration.ofMillis(
              Math.min(
                  poll.maxInterval().toMillis(),
                  Math.round(interval.toMillis() * poll.multiplier())));
      List<Long> watched = pending();
      return http.sleep(sleep)
          .chain(() -> getAll(watched))
          .chain(
              fresh -> {
                List<Long> missing = new ArrayList<>(watched);
                for (Action a : fresh) {
                  missing.remove(a.id());
                  latest.put(a.id(), a);
                }
                if (!missing.isEmpty()) {
                  return Uni.createFrom().failure(new ActionVanishedException(missing));
                }
                if (onProgress != null) {
                  try {
                    onProgress.accept(List.copyOf(fresh));
                  } catch (RuntimeException e) {
                    LOG.warnf("action progress callback failed: %s", e.toString());
                  }
                }
                Uni<List<Action>> outcome = check();
                if (outcome != null) {
                  return outcome;
                }
                if (System.nanoTime() >= deadlineNanos) {
                  return Uni.createFrom()
                      .failure(new ActionWaitTimeoutException(pending(), timeout));
                }
                return loop(next);
              });
    }
  }
}
