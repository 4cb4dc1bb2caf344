package dev.goldsmith.hcloud.internal;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

import dev.goldsmith.hcloud.error.FieldError;
import dev.goldsmith.hcloud.error.HcloudApiException;
import dev.goldsmith.hcloud.error.HcloudErrorCode;
import dev.goldsmith.hcloud.error.HcloudException;

/** Maps an error response onto {@link HcloudApiException}. */
public final class Errors {

  private Errors() {}

  /**
   * Reads {@code {"error": {code, message, details}}}. A body that is not a Hetzner error keeps the
   * status: 404 counts as {@code not_found}, 429 as {@code rate_limit_exceeded}, anything else as
   * {@code UNKNOWN} (retryable for 502 and 504).
   */
  public static HcloudApiException fromResponse(
      String method, String path, int status, byte[] body, String correlationId) {
    String rawCode = null;
    String message = null;
    List<FieldError> fields = new ArrayList<>();
    List<String> limits = new ArrayList<>();
    try {
      JsonNode err = Json.parse(body).path("error");
      if (err.isObject()) {
        rawCode = err.path("code").isTextual() ? err.path("code").asText() : null;
        message = err.path("message").isTextual() ? err.path("message").asText() : null;
        for (JsonNode f : err.path("details").path("fields")) {
          List<String> msgs = new ArrayList<>();
          for (JsonNode m : f.path("messages")) {
            msgs.add(m.asText());
          }
          fields.add(new FieldError(f.path("name").asText(), msgs));
        }
        for (JsonNode l : err.path("details").path("limits")) {
          limits.add(l.path("name").asText());
        }
      }
    } catch (HcloudException notJson) {
      message = "HTTP " + status + " with a body that is not JSON";
    }
    HcloudErrorCode code = HcloudErrorCode.fromWire(rawCode);
    if (rawCode == null) {
      if (status == 429) {
        code = HcloudErrorCode.RATE_LIMIT_EXCEEDED;
      } else if (status == 404) {
        code = HcloudErrorCode.NOT_FOUND;
      }
    }
    return new HcloudApiException(
        code, rawCode, status, message, fields, limits, correlationId, method, path);
  }
}
