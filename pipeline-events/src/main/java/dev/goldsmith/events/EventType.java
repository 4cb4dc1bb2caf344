package dev.goldsmith.events;

import java.util.Arrays;
import java.util.Optional;

/** Binds each event record to its topic and its versioned CloudEvents {@code type}. */
public enum EventType {
  BUILD_REQUESTED(BuildRequested.class, Topics.BUILD_REQUESTED, "dev.goldsmith.build.requested.v1"),
  BUILD_ACCEPTED(BuildAccepted.class, Topics.BUILD_ACCEPTED, "dev.goldsmith.build.accepted.v1"),
  BUILD_REJECTED(BuildRejected.class, Topics.BUILD_REJECTED, "dev.goldsmith.build.rejected.v1"),
  BUILDER_READY(BuilderReady.class, Topics.BUILDER_READY, "dev.goldsmith.builder.ready.v1"),
  BUILDER_CONFIGURED(
      BuilderConfigured.class, Topics.BUILDER_CONFIGURED, "dev.goldsmith.builder.configured.v1"),
  SNAPSHOT_CREATED(
      SnapshotCreated.class, Topics.SNAPSHOT_CREATED, "dev.goldsmith.snapshot.created.v1"),
  VERIFICATION_FINISHED(
      VerificationFinished.class, Topics.IMAGE_VERIFIED, "dev.goldsmith.image.verified.v1"),
  IMAGE_PROMOTED(ImagePromoted.class, Topics.IMAGE_PROMOTED, "dev.goldsmith.image.promoted.v1"),
  BUILD_FAILED(BuildFailed.class, Topics.BUILD_FAILED, "dev.goldsmith.build.failed.v1");

  private final Class<? extends PipelineEvent> recordType;
  private final String topic;
  private final String ceType;

  EventType(Class<? extends PipelineEvent> recordType, String topic, String ceType) {
    this.recordType = recordType;
    this.topic = topic;
    this.ceType = ceType;
  }

  public Class<? extends PipelineEvent> recordType() {
    return recordType;
  }

  public String topic() {
    return topic;
  }

  /** The CloudEvents {@code type} attribute, versioned ({@code ….v1}). */
  public String ceType() {
    return ceType;
  }

  /** The schema file name under docs/schemas/. */
  public String schemaFile() {
    return recordType.getSimpleName() + ".schema.json";
  }

  public static EventType of(Class<?> recordType) {
    return Arrays.stream(values())
        .filter(t -> t.recordType == recordType)
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("not an event type: " + recordType));
  }

  public static Optional<EventType> byCeType(String ceType) {
    return Arrays.stream(values()).filter(t -> t.ceType.equals(ceType)).findFirst();
  }
}
