package dev.goldsmith.emulator.api;

import jakarta.ws.rs.NotAllowedException;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import io.quarkus.logging.Log;

import dev.goldsmith.emulator.wire.Wire;

/** Maps every failure onto the Hetzner error envelope with a JSON content type. */
public class ErrorMappers {

  public static Response envelope(int status, String code, String message, Object details) {
    return Response.status(status)
        .type(MediaType.APPLICATION_JSON_TYPE)
        .entity(new Wire.ErrorBody(new Wire.ErrorInfo(code, message, details)))
        .build();
  }

  @ServerExceptionMapper
  public Response api(ApiException e) {
    return envelope(e.status(), e.code(), e.getMessage(), e.details());
  }

  @ServerExceptionMapper
  public Response notFound(NotFoundException e) {
    return envelope(404, "not_found", "not found", null);
  }

  @ServerExceptionMapper
  public Response notAllowed(NotAllowedException e) {
    return envelope(405, "method_not_allowed", "method not allowed", null);
  }

  @ServerExceptionMapper
  public Response web(WebApplicationException e) {
    int status = e.getResponse().getStatus();
    String code =
        status == 415 ? "invalid_input" : status >= 500 ? "server_error" : "invalid_input";
    return envelope(status, code, e.getMessage(), null);
  }

  @ServerExceptionMapper
  public Response other(RuntimeException e) {
    Log.errorf(e, "unexpected failure");
    return envelope(500, "server_error", "internal server error", null);
  }
}
