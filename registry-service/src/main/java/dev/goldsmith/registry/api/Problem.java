package dev.goldsmith.registry.api;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * An RFC 9457 problem details body ({@code application/problem+json}).
 *
 * @param type a URI naming the kind of problem
 * @param errors per-field problems of a request, when there are several
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(
    String type,
    String title,
    int status,
    String detail,
    String instance,
    List<FieldProblem> errors) {

  public static final String MEDIA_TYPE = "application/problem+json";
  private static final String BASE = "https://goldsmith.dev/problems/";

  /** One problem with one request field. */
  public record FieldProblem(String field, String message) {}

  public static Problem of(int status, String slug, String title, String detail, String instance) {
    return new Problem(BASE + slug, title, status, detail, instance, null);
  }
}
