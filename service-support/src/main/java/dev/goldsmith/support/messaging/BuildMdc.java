package dev.goldsmith.support.messaging;

import java.util.function.Supplier;

import org.jboss.logging.MDC;

import io.smallrye.common.vertx.VertxContext;
import io.vertx.core.Vertx;

/**
 * The one MDC key of the pipeline, {@value #KEY}, set around the handling of a record.
 *
 * <p>On a Vert.x duplicated context (each Kafka record is handled on one of its own) the MDC lives
 * in that context, and the callbacks of the record's work (cloud answers, timers) run on it later:
 * there the key is left in place after {@code work}, so those lines carry it too. Anywhere else the
 * previous value is restored.
 */
public final class BuildMdc {
  /** The MDC key every log line about a build carries. */
  public static final String KEY = "buildId";

  private BuildMdc() {}

  /**
   * Runs {@code work} with {@value #KEY} set to {@code buildId} (unless null), then restores it.
   */
  public static <T> T call(String buildId, Supplier<T> work) {
    Object previous = MDC.get(KEY);
    if (buildId != null) {
      MDC.put(KEY, buildId);
    }
    try {
      return work.get();
    } finally {
      if (previous == null) {
        if (buildId == null || !onDuplicatedContext()) {
          MDC.remove(KEY);
        }
      } else {
        MDC.put(KEY, previous);
      }
    }
  }

  private static boolean onDuplicatedContext() {
    try {
      io.vertx.core.Context c = Vertx.currentContext();
      return c != null && VertxContext.isDuplicatedContext(c);
    } catch (LinkageError e) {
      return false;
    }
  }

  /** As {@link #call}, for work without a result. */
  public static void run(String buildId, Runnable work) {
    call(
        buildId,
        () -> {
          work.run();
          return null;
        });
  }
}
