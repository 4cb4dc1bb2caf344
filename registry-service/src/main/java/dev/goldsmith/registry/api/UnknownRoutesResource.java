package dev.goldsmith.registry.api;

import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;

import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * Any other path under {@code /api} answers 404 as problem details too (the more specific resources
 * win by the JAX-RS matching rules).
 */
@Path("/api/{rest: .*}")
public class UnknownRoutesResource {

  @GET
  @Operation(hidden = true)
  public void get(@PathParam("rest") String rest) {
    throw notFound(rest);
  }

  @POST
  @Operation(hidden = true)
  public void post(@PathParam("rest") String rest) {
    throw notFound(rest);
  }

  @PUT
  @Operation(hidden = true)
  public void put(@PathParam("rest") String rest) {
    throw notFound(rest);
  }

  @DELETE
  @Operation(hidden = true)
  public void delete(@PathParam("rest") String rest) {
    throw notFound(rest);
  }

  @PATCH
  @Operation(hidden = true)
  public void patch(@PathParam("rest") String rest) {
    throw notFound(rest);
  }

  private static ApiException notFound(String rest) {
    return ApiException.notFound("no such API route: /api/" + rest);
  }
}
