package dev.goldsmith.registry.api;

import java.util.List;

/** An error the API answers with a problem details body. */
public class ApiException extends RuntimeException {
  private final int status;
  private final String slug;
  private final String title;
  private final List<Problem.FieldProblem> errors;

  public ApiException(int status, String slug, String title, String detail) {
    this(status, slug, title, detail, null);
  }

  public ApiException(
      int status, String slug, String title, String detail, List<Problem.FieldProblem> errors) {
    super(detail);
    this.status = status;
    this.slug = slug;
    this.title = title;
    this.errors = errors;
  }

  public static ApiException notFound(String detail) {
    return new ApiException(404, "not-found", "Not Found", detail);
  }

  public static ApiException badRequest(List<Problem.FieldProblem> errors) {
    return new ApiException(
        400, "invalid-request", "Invalid request", "the request has invalid parameters", errors);
  }

  public Problem problem(String instance) {
    return new Problem(
        "https://goldsmith.dev/problems/" + slug, title, status, getMessage(), instance, errors);
  }
}
