package dev.goldsmith.support.messaging;

/**
 * Headers of a record on the dead-letter topic ({@link dev.goldsmith.events.Topics#DEAD_LETTER}).
 * The Kafka connector's dead-letter strategy writes the {@code dead-letter-*} ones and keeps the
 * original key, value and headers ({@code ce_*}), so a parked record can be replayed as it was; the
 * consumer helper adds {@link #REASON_SUMMARY}.
 */
public final class DeadLetterHeaders {
  /** Why the record can never succeed: every problem found, {@code ; }-separated. */
  public static final String REASON = "dead-letter-reason";

  /** The reason's cause, when it had one. */
  public static final String CAUSE = "dead-letter-cause";

  /** Class name of the exception that parked the record. */
  public static final String EXCEPTION_CLASS = "dead-letter-exception-class-name";

  /** The topic the record came from (where a replay sends it back). */
  public static final String TOPIC = "dead-letter-topic";

  /** The partition and offset it had there. */
  public static final String PARTITION = "dead-letter-partition";

  public static final String OFFSET = "dead-letter-offset";

  /** Goldsmith's own one-line reason ({@code SimpleClassName: first line}), from the helper. */
  public static final String REASON_SUMMARY = "goldsmith-dead-letter-reason";

  private DeadLetterHeaders() {}
}
