package dev.goldsmith.hcloud.error;

import java.util.List;
import java.util.Optional;

/**
 * The API answered with an error. Carries the Hetzner error code (enum plus the raw string), the
 * HTTP status, the message, field details, and the {@code X-Correlation-Id} to quote to Hetzner
 * support.
 */
public class HcloudApiException extends HcloudException {

  private final HcloudErrorCode code;
  private final String rawCode;
  private final int httpStatus;
  private final String apiMessage;
  private final List<FieldError> fields;
  private final List<String> limits;
  private final String correlationId;
  private final String method;
  private final String path;

  public HcloudApiException(
      HcloudErrorCode code,
      String rawCode,
      int httpStatus,
      String apiMessage,
      List<FieldError> fields,
      List<String> limits,
      String correlationId,
      String method,
      String path) {
    super(describe(rawCode, httpStatus, apiMessage, fields, correlationId, method, path));
    this.code = code == null ? HcloudErrorCode.UNKNOWN : code;
    this.rawCode = rawCode;
    this.httpStatus = httpStatus;
    this.apiMessage = apiMessage;
    this.fields = fields == null ? List.of() : List.copyOf(fields);
    this.limits = limits == null ? List.of() : List.copyOf(limits);
    this.correlationId = correlationId;
    this.method = method;
    this.path = path;
  }

  private static String describe(
      String rawCode,
      int status,
      String message,
      List<FieldError> fields,
      String correlationId,
      String method,
      String path) {
    StringBuilder b = new StringBuilder();
    b.append(message == null || message.isBlank() ? "HTTP " + status : message);
    b.append(" (").append(rawCode == null ? "no code" : rawCode).append(", HTTP ").append(status);
    if (fields != null && !fields.isEmpty()) {
      b.append(", fields ");
      for (int i = 0; i < fields.size(); i++) {
        FieldError f = fields.get(i);
        b.append(i == 0 ? "" : "; ").append(f.name());
        if (!f.messages().isEmpty()) {
          b.append(": ").append(String.join(", ", f.messages()));
        }
      }
    }
    b.append(") on ").append(method).append(' ').append(path);
    if (correlationId != null) {
      b.append(" [correlation id ").append(correlationId).append(']');
    }
    return b.toString();
  }

  /** The Hetzner error code; {@link HcloudErrorCode#UNKNOWN} when not in the enum. */
  public HcloudErrorCode code() {
    return code;
  }

  /** The code exactly as the API sent it (null when the body was not a Hetzner error). */
  public String rawCode() {
    return rawCode;
  }

  /** The HTTP status. */
  public int httpStatus() {
    return httpStatus;
  }

  /** The API's own message, without the context this exception adds. */
  public String apiMessage() {
    return apiMessage;
  }

  /** {@code details.fields}, empty when absent. */
  public List<FieldError> fields() {
    return fields;
  }

  /** {@code details.limits[].name} for {@code resource_limit_exceeded}, empty when absent. */
  public List<String> limits() {
    return limits;
  }

  /** The {@code X-Correlation-Id} response header, if sent. */
  public Optional<String> correlationId() {
    return Optional.ofNullable(correlationId);
  }

  /** HTTP method of the failed request. */
  public String method() {
    return method;
  }

  /** Path (with query) of the failed request, relative to the endpoint. */
  public String path() {
    return path;
  }

  /** True if the code is one of {@code codes}. */
  public boolean is(HcloudErrorCode... codes) {
    for (HcloudErrorCode c : codes) {
      if (c == code) {
        return true;
      }
    }
    return false;
  }

  /**
   * Whether retrying the same request may succeed: {@code conflict}, {@code rate_limit_exceeded},
   * {@code timeout}, {@code bad_gateway}, and a bare HTTP 502 or 504. Never {@code invalid_input},
   * {@code uniqueness_error}, {@code protected}, {@code not_found} or {@code locked}.
   */
  public boolean isRetryable() {
    switch (code) {
      case CONFLICT:
      case RATE_LIMIT_EXCEEDED:
      case TIMEOUT:
      case BAD_GATEWAY:
        return true;
      case UNKNOWN:
        return httpStatus == 502 || httpStatus == 504;
      default:
        return false;
    }
  }
}
