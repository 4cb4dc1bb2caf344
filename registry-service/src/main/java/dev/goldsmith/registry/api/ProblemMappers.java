package dev.goldsmith.registry.api;

import java.util.List;

import jakarta.validation.ConstraintViolationException;
import jakarta.validation.ValidationException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import io.quarkus.logging.Log;

import dev.goldsmith.families.FamilyException;
import dev.goldsmith.registry.promotion.PromotionRefused;

/** Turns every error of the API into {@code application/problem+json} (RFC 9457). */
public class ProblemMappers {

  @ServerExceptionMapper
  public Response api(ApiException e, UriInfo uri) {
    return respond(e.problem(path(uri)));
  }

  @ServerExceptionMapper
  public Response refused(PromotionRefused e, UriInfo uri) {
    return switch (e.reason()) {
      case NOT_FOUND ->
          respond(Problem.of(404, "not-found", "Not Found", e.getMessage(), path(uri)));
      case CONFLICT ->
          respond(
              Problem.of(
                  409,
                  "not-promotable",
                  "Conflict with the version's state",
                  e.getMessage(),
                  path(uri)));
    };
  }

  @ServerExceptionMapper
  public Response violations(ConstraintViolationException e, UriInfo uri) {
    List<Problem.FieldProblem> errors =
        e.getConstraintViolations().stream()
            .map(v -> new Problem.FieldProblem(v.getPropertyPath().toString(), v.getMessage()))
            .toList();
    return respond(
        new Problem(
            "https://goldsmith.dev/problems/invalid-request",
            "Invalid request",
            400,
            "the request has invalid parameters",
            path(uri),
            errors));
  }

  @ServerExceptionMapper
  public Response validation(ValidationException e, UriInfo uri) {
    return respond(
        Problem.of(400, "invalid-request", "Invalid request", e.getMessage(), path(uri)));
  }

  @ServerExceptionMapper
  public Response families(FamilyException e, UriInfo uri) {
    Log.errorf("family files are invalid: %s", e.getMessage());
    return respond(
        Problem.of(
            500,
            "families-invalid",
            "Family files are invalid",
            String.join("; ", e.errors()),
            path(uri)));
  }

  @ServerExceptionMapper
  public Response web(WebApplicationException e, UriInfo uri) {
    int status = e.getResponse().getStatus();
    String title =
        Response.Status.fromStatusCode(status) == null
            ? "HTTP " + status
            : Response.Status.fromStatusCode(status).getReasonPhrase();
    return respond(
        Problem.of(
            status,
            title.toLowerCase(java.util.Locale.ROOT).replace(' ', '-'),
            title,
            e.getMessage(),
            path(uri)));
  }

  @ServerExceptionMapper
  public Response unexpected(RuntimeException e, UriInfo uri) {
    Log.errorf(e, "request failed path=%s", path(uri));
    return respond(
        Problem.of(
            500,
            "internal",
            "Internal Server Error",
            "the request failed; the registry's log has the details",
            path(uri)));
  }

  static Response respond(Problem problem) {
    return Response.status(problem.status()).type(Problem.MEDIA_TYPE).entity(problem).build();
  }

  private static String path(UriInfo uri) {
    return uri == null ? null : uri.getPath();
  }
}
