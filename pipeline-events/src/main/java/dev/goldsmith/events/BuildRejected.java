package dev.goldsmith.events;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

/**
 * A request the registry refused, with every reason at once. This is the dead-letter path for bad
 * requests: {@code rawPayload} holds the request as received, truncated.
 *
 * @param buildId the request's id when it could be read, else null
 */
public record BuildRejected(
    UUID buildId,
    @NotEmpty List<@NotNull String> errors,
    @Size(max = MAX_RAW_PAYLOAD) String rawPayload,
    @NotNull Instant occurredAt)
    implements PipelineEvent {

  /** How much of a rejected payload is kept. */
  public static final int MAX_RAW_PAYLOAD = 4096;

  /** Cuts a payload to {@link #MAX_RAW_PAYLOAD} characters. */
  public static String truncate(String payload) {
    if (payload == null || payload.length() <= MAX_RAW_PAYLOAD) {
      return payload;
    }
    return payload.substring(0, MAX_RAW_PAYLOAD - 1) + "…";
  }
}
