package dev.goldsmith.emulator.api;

import java.util.List;
import java.util.Map;
import java.util.function.Function;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.UriInfo;

import org.jboss.resteasy.reactive.RestPath;

import dev.goldsmith.emulator.state.Catalog;
import dev.goldsmith.emulator.wire.Wire;

/** Read-only catalog: server types, locations, datacenters; plus the empty firewall actions. */
@Path("/v1")
@Produces(MediaType.APPLICATION_JSON)
public class CatalogResource {
  private final RequestContext request;
  private final Catalog catalog;

  public CatalogResource(RequestContext request, Catalog catalog) {
    this.request = request;
    this.catalog = catalog;
  }

  private <T> Map<String, Object> list(
      UriInfo uri, List<T> all, Function<T, Long> id, Function<T, String> name, String key) {
    request.project();
    Query q = new Query(uri);
    var wanted = q.one("name");
    var sort = q.<T>sort(Map.of("id", id::apply, "name", name::apply));
    List<T> matching =
        all.stream().filter(t -> wanted.isEmpty() || wanted.get().equals(name.apply(t))).toList();
    return q.page(matching, sort).envelope(key);
  }

  @GET
  @Path("/server_types")
  public Map<String, Object> serverTypes(@Context UriInfo uri) {
    return list(
        uri, catalog.serverTypes(), Wire.ServerType::id, Wire.ServerType::name, "server_types");
  }

  @GET
  @Path("/server_types/{id}")
  public Map<String, Object> serverType(@RestPath long id) {
    request.project();
    return Map.of(
        "server_type",
        catalog
            .serverType(Long.toString(id))
            .orElseThrow(() -> ApiException.notFound("server type")));
  }

  @GET
  @Path("/locations")
  public Map<String, Object> locations(@Context UriInfo uri) {
    return list(uri, catalog.locations(), Wire.Location::id, Wire.Location::name, "locations");
  }

  @GET
  @Path("/locations/{id}")
  public Map<String, Object> location(@RestPath long id) {
    request.project();
    return Map.of(
        "location",
        catalog.location(Long.toString(id)).orElseThrow(() -> ApiException.notFound("location")));
  }

  @GET
  @Path("/datacenters")
  public Map<String, Object> datacenters(@Context UriInfo uri) {
    Map<String, Object> body =
        new java.util.LinkedHashMap<>(
            list(
                uri,
                catalog.datacenters(),
                Wire.Datacenter::id,
                Wire.Datacenter::name,
                "datacenters"));
    body.put("recommendation", catalog.datacenterOf("fsn1").id());
    return body;
  }

  @GET
  @Path("/datacenters/{id}")
  public Map<String, Object> datacenter(@RestPath long id) {
    request.project();
    return Map.of(
        "datacenter",
        catalog
            .datacenter(Long.toString(id))
            .orElseThrow(() -> ApiException.notFound("datacenter")));
  }

  @GET
  @Path("/firewalls/actions")
  public Map<String, Object> firewallActions(@Context UriInfo uri) {
    request.project();
    return new Query(uri).page(List.<Object>of(), null).envelope("actions");
  }
}
