package dev.goldsmith.support.messaging;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Set;

import org.apache.kafka.common.errors.RetriableException;

import dev.goldsmith.events.InvalidEventException;
import dev.goldsmith.hcloud.error.HcloudApiException;
import dev.goldsmith.hcloud.error.HcloudNetworkException;

/**
 * The one classification of handler failures. Poison: {@link InvalidEventException} (undecodable,
 * invalid, unknown version) or {@link PoisonException}, anywhere in the cause chain. Everything
 * else is retried in place; the dependency names what to wait for:
 *
 * <ul>
 *   <li>{@code database}: {@link SQLTransientException}, {@link SQLRecoverableException}, any other
 *       {@link SQLException} except data, integrity, syntax and feature errors (SQLState classes
 *       22, 23, 42, 0A), and JPA lock/query timeouts;
 *   <li>{@code broker}: Kafka's {@link RetriableException} (timeouts, disconnects, no leader);
 *   <li>{@code cloud}: {@link HcloudNetworkException}, {@link HcloudApiException} with HTTP 5xx or
 *       a retryable code;
 *   <li>{@code io}: {@link IOException} and {@link UncheckedIOException};
 *   <li>{@code timeout}: {@link java.util.concurrent.TimeoutException} and Mutiny's timeout;
 *   <li>{@code unexpected}: anything else. It is retried too (a dead-lettered record is a build
 *       lost until someone replays it; a stalled record is loud: health DOWN, an ERROR per
 *       attempt), and a fix deployed meanwhile lets it through.
 * </ul>
 */
public final class Failures {
  private static final Set<String> PERMANENT_SQL_CLASSES = Set.of("22", "23", "42", "0A");
  private static final Set<String> JPA_TRANSIENT =
      Set.of(
          "jakarta.persistence.PessimisticLockException",
          "jakarta.persistence.LockTimeoutException",
          "jakarta.persistence.QueryTimeoutException",
          "org.hibernate.exception.JDBCConnectionException",
          "org.hibernate.exception.LockAcquisitionException");

  private Failures() {}

  /** Classifies {@code failure} by the first cause in its chain that says something. */
  public static Failure classify(Throwable failure) {
    String summary = summary(failure);
    Map<Throwable, Boolean> seen = new IdentityHashMap<>();
    for (Throwable t = failure; t != null && seen.put(t, true) == null; t = t.getCause()) {
      if (t instanceof InvalidEventException || t instanceof PoisonException) {
        return new Failure(Failure.Kind.POISON, "event", summary(t));
      }
    }
    seen.clear();
    for (Throwable t = failure; t != null && seen.put(t, true) == null; t = t.getCause()) {
      String dependency = dependency(t);
      if (dependency != null) {
        return new Failure(Failure.Kind.RETRY, dependency, summary);
      }
    }
    return new Failure(Failure.Kind.RETRY, "unexpected", summary);
  }

  private static String dependency(Throwable t) {
    if (t instanceof SQLTransientException || t instanceof SQLRecoverableException) {
      return "database";
    }
    if (t instanceof SQLException sql) {
      String state = sql.getSQLState();
      boolean permanent =
          state != null
              && state.length() >= 2
              && PERMANENT_SQL_CLASSES.contains(state.substring(0, 2));
      return permanent ? null : "database";
    }
    if (JPA_TRANSIENT.contains(t.getClass().getName())) {
      return "database";
    }
    if (t instanceof RetriableException) {
      return "broker";
    }
    if (t instanceof HcloudNetworkException) {
      return "cloud";
    }
    if (t instanceof HcloudApiException api) {
      return api.httpStatus() >= 500 || api.isRetryable() ? "cloud" : null;
    }
    if (t instanceof IOException || t instanceof UncheckedIOException) {
      return "io";
    }
    if (t instanceof java.util.concurrent.TimeoutException
        || t instanceof io.smallrye.mutiny.TimeoutException) {
      return "timeout";
    }
    return null;
  }

  /** {@code SimpleClassName: message} of the failure (its first line only). */
  static String summary(Throwable t) {
    String m = t.getMessage();
    if (m != null) {
      int cut = m.indexOf('\n');
      m = cut < 0 ? m : m.substring(0, cut);
    }
    return t.getClass().getSimpleName() + (m == null || m.isBlank() ? "" : ": " + m);
  }
}
