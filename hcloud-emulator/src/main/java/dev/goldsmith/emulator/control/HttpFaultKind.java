package dev.goldsmith.emulator.control;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** What an HTTP fault rule ({@code /_emulator/faults}) does to a request it fires on. */
public enum HttpFaultKind {
  /** Answer with the rule's status, code and message (default 503 unavailable). */
  ERROR(503, "unavailable", "injected fault"),
  /** Wait {@code latency_ms}, then serve the request normally. */
  LATENCY(0, null, null),
  /** Serve the request, but every action it creates ends in error with the rule's message. */
  ACTION_ERROR(0, "action_failed", "Action failed"),
  /** Answer 429 {@code rate_limit_exceeded}. */
  RATE_LIMIT(429, "rate_limit_exceeded", "Limit of requests per hour reached");

  private final int defaultStatus;
  private final String defaultCode;
  private final String defaultMessage;

  HttpFaultKind(int defaultStatus, String defaultCode, String defaultMessage) {
    this.defaultStatus = defaultStatus;
    this.defaultCode = defaultCode;
    this.defaultMessage = defaultMessage;
  }

  int defaultStatus() {
    return defaultStatus;
  }

  String defaultCode() {
    return defaultCode;
  }

  String defaultMessage() {
    return defaultMessage;
  }

  /** Whether the rule answers the request itself (with status, code and message). */
  public boolean answers() {
    return this == ERROR || this == RATE_LIMIT;
  }

  /** The name on the control API, e.g. {@code action_error}. */
  public String wire() {
    return name().toLowerCase();
  }

  public static Optional<HttpFaultKind> fromWire(String value) {
    return Arrays.stream(values()).filter(k -> k.wire().equals(value)).findFirst();
  }

  public static List<String> wireNames() {
    return Arrays.stream(values()).map(HttpFaultKind::wire).toList();
  }
}
