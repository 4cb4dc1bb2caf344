package dev.goldsmith.emulator.api;

import java.util.List;
import java.util.Map;

/** An error the API answers with its envelope {@code {"error":{code,message,details}}}. */
public class ApiException extends RuntimeException {
  private final int status;
  private final String code;
  private final transient Object details;

  public ApiException(int status, String code, String message, Object details) {
    super(message);
    this.status = status;
    this.code = code;
    this.details = details;
  }

  public int status() {
    return status;
  }

  public String code() {
    return code;
  }

  public Object details() {
    return details;
  }

  public static ApiException notFound(String what) {
    return new ApiException(404, "not_found", what + " not found", null);
  }

  /** invalid_input with one field and its messages. */
  public static ApiException invalidField(String field, String message) {
    return new ApiException(
        422,
        "invalid_input",
        "invalid input in field '" + field + "'",
        Map.of("fields", List.of(Map.of("name", field, "messages", List.of(message)))));
  }

  public static ApiException invalidInput(String message) {
    return new ApiException(422, "invalid_input", message, Map.of("fields", List.of()));
  }

  public static ApiException uniqueness(String field, String message) {
    return new ApiException(
        409, "uniqueness_error", message, Map.of("fields", List.of(Map.of("name", field))));
  }

  public static ApiException locked(String what) {
    return new ApiException(
        423, "locked", "cannot perform operation because " + what + " is locked", null);
  }

  public static ApiException protectedResource(String message) {
    return new ApiException(423, "protected", message, null);
  }

  public static ApiException limit(String name, String message) {
    return new ApiException(
        403, "resource_limit_exceeded", message, Map.of("limits", List.of(Map.of("name", name))));
  }
}
