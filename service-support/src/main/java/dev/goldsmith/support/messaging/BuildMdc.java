package dev.goldsmith.support.messaging;

import java.util.function.Supplier;

import org.jboss.logging.MDC;

/** The one MDC key of the pipeline, {@value #KEY}, set around the handling of a record. */
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
        MDC.remove(KEY);
      } else {
        MDC.put(KEY, previous);
      }
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
