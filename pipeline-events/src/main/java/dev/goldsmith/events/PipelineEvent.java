package dev.goldsmith.events;

import java.time.Instant;
import java.util.UUID;

/**
 * An event of the image pipeline. Every event names its build (the Kafka record key) and when it
 * happened; its topic and CloudEvents type come from {@link EventType}.
 */
public sealed interface PipelineEvent
    permits BuildRequested,
        BuildAccepted,
        BuildRejected,
        BuilderReady,
        BuilderConfigured,
        SnapshotCreated,
        VerificationFinished,
        ImagePromoted,
        BuildFailed {

  /** The build this event belongs to; null only for a rejected request whose id was unreadable. */
  UUID buildId();

  /** When the producer observed what the event reports. */
  Instant occurredAt();

  /** The event's type descriptor (topic and CloudEvents {@code type}). */
  default EventType type() {
    return EventType.of(getClass());
  }
}
