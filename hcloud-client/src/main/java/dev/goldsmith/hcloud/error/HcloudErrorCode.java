package dev.goldsmith.hcloud.error;

import java.util.Locale;

/**
 * Error codes of the Hetzner Cloud API ({@code error.code}). A code this client does not know maps
 * to {@link #UNKNOWN}; {@link HcloudApiException#rawCode()} keeps it verbatim.
 */
public enum HcloudErrorCode {
  // generic
  /** Malformed or invalid request parameters; {@code details.fields} names them. */
  INVALID_INPUT,
  /** The body is not valid JSON. */
  JSON_ERROR,
  /** Missing or invalid token. */
  UNAUTHORIZED,
  /** The token lacks a permission. */
  FORBIDDEN,
  /** A read-only token made a mutating request. */
  TOKEN_READONLY,
  /** The resource does not exist. */
  NOT_FOUND,
  /** A name or fingerprint is already taken. */
  UNIQUENESS_ERROR,
  /** The resource changed during the request; retrying is safe. */
  CONFLICT,
  /** Another action is running on the resource. */
  LOCKED,
  /** The resource is protected against this operation. */
  PROTECTED,
  /** A project quota was reached ({@code details.limits}). */
  RESOURCE_LIMIT_EXCEEDED,
  /** Rate limit reached; retry after {@code RateLimit-Reset}. */
  RATE_LIMIT_EXCEEDED,
  /** The requested resource is currently unavailable. */
  RESOURCE_UNAVAILABLE,
  /** Maintenance. */
  MAINTENANCE,
  /** The service is unavailable. */
  UNAVAILABLE,
  /** An endpoint that no longer exists (410). */
  DEPRECATED_API_ENDPOINT,
  /** Internal error on the API side. */
  SERVER_ERROR,
  /** A backing service failed. */
  SERVICE_ERROR,
  /** A proxy between client and API failed (hcloud-go retries it). */
  BAD_GATEWAY,
  /** The request timed out on the API side; retrying is safe. */
  TIMEOUT,
  /** The method is not allowed on this path. */
  METHOD_NOT_ALLOWED,
  // server create
  /** Placement group rules prevent the create. */
  PLACEMENT_ERROR,
  /** The Primary IP is already assigned. */
  PRIMARY_IP_ASSIGNED,
  /** The Primary IP is in another datacenter. */
  PRIMARY_IP_DATACENTER_MISMATCH,
  /** The Primary IP has the wrong IP version. */
  PRIMARY_IP_VERSION_MISMATCH,
  /** The server type does not exist or is not available. */
  INVALID_SERVER_TYPE,
  /** The server must be stopped first. */
  SERVER_NOT_STOPPED,
  /** Any code not listed here; see {@link HcloudApiException#rawCode()}. */
  UNKNOWN;

  /** The code as it appears on the wire, e.g. {@code rate_limit_exceeded}. */
  public String wireValue() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The enum constant for a wire code; {@link #UNKNOWN} for null or an unknown code. */
  public static HcloudErrorCode fromWire(String code) {
    if (code == null || code.isBlank()) {
      return UNKNOWN;
    }
    try {
      HcloudErrorCode c = valueOf(code.trim().toUpperCase(Locale.ROOT));
      return c;
    } catch (IllegalArgumentException e) {
      return UNKNOWN;
    }
  }
}
