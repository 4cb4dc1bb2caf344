package dev.goldsmith.events;

import java.util.List;

/** Kafka topic names of the pipeline. deploy/kafka/topics.txt lists the same names. */
public final class Topics {
  public static final String BUILD_REQUESTED = "goldsmith.build.requested";
  public static final String BUILD_ACCEPTED = "goldsmith.build.accepted";
  public static final String BUILD_REJECTED = "goldsmith.build.rejected";
  public static final String BUILDER_READY = "goldsmith.builder.ready";
  public static final String BUILDER_CONFIGURED = "goldsmith.builder.configured";
  public static final String SNAPSHOT_CREATED = "goldsmith.snapshot.created";
  public static final String IMAGE_VERIFIED = "goldsmith.image.verified";
  public static final String IMAGE_PROMOTED = "goldsmith.image.promoted";
  public static final String BUILD_FAILED = "goldsmith.build.failed";

  /** Where consumers park records they cannot decode, with the reason in headers. */
  public static final String DEAD_LETTER = "goldsmith.dead-letter";

  public static final List<String> ALL =
      List.of(
          BUILD_REQUESTED,
          BUILD_ACCEPTED,
          BUILD_REJECTED,
          BUILDER_READY,
          BUILDER_CONFIGURED,
          SNAPSHOT_CREATED,
          IMAGE_VERIFIED,
          IMAGE_PROMOTED,
          BUILD_FAILED,
          DEAD_LETTER);

  private Topics() {}
}
