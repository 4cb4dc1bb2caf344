package dev.goldsmith.emulator.api;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.jboss.resteasy.reactive.RestPath;

import io.quarkus.logging.Log;

import dev.goldsmith.emulator.action.ActionEngine;
import dev.goldsmith.emulator.backend.ServerBackend;
import dev.goldsmith.emulator.state.ActionState;
import dev.goldsmith.emulator.state.Catalog;
import dev.goldsmith.emulator.state.ImageState;
import dev.goldsmith.emulator.state.Project;
import dev.goldsmith.emulator.state.Store;
import dev.goldsmith.emulator.wire.Wire;

/** {@code /v1/images}: system images of the catalog plus the project's snapshots and backups. */
@Path("/v1/images")
@Produces(MediaType.APPLICATION_JSON)
public class ImagesResource {
  static final Set<String> TYPES = Set.of("system", "app", "snapshot", "backup");
  static final Set<String> STATUSES = Set.of("available", "creating", "unavailable");

  private final RequestContext request;
  private final Store store;
  private final Catalog catalog;
  private final Views views;
  private final ActionEngine engine;
  private final ServerBackend backend;

  public ImagesResource(
      RequestContext request,
      Store store,
      Catalog catalog,
      Views views,
      ActionEngine engine,
      ServerBackend backend) {
    this.request = request;
    this.store = store;
    this.catalog = catalog;
    this.views = views;
    this.engine = engine;
    this.backend = backend;
  }

  @GET
  public Map<String, Object> list(@Context UriInfo uri) {
    Query q = new Query(uri);
    List<String> types = q.enumValues("type", TYPES);
    List<String> statuses = q.enumValues("status", STATUSES);
    List<String> archs = q.enumValues("architecture", Set.of("x86", "arm"));
    List<Long> boundTo = q.ids("bound_to");
    boolean includeDeprecated = q.bool("include_deprecated").orElse(false);
    var name = q.one("name");
    var selector = q.labelSelector();
    Map<String, Function<Wire.Image, Comparable<?>>> sortable =
        Map.of("id", Wire.Image::id, "name", Wire.Image::name, "created", Wire.Image::created);
    var sort = q.<Wire.Image>sort(sortable);
    Project p = request.project();
    synchronized (p) {
      List<Wire.Image> all = new ArrayList<>();
      catalog.systemImages().forEach(i -> all.add(views.systemImage(i)));
      p.images.values().forEach(i -> all.add(views.image(i)));
      all.sort((a, b) -> Long.compare(a.id(), b.id()));
      List<Wire.Image> matching =
          all.stream()
              .filter(i -> types.isEmpty() || types.contains(i.type()))
              .filter(i -> statuses.isEmpty() || statuses.contains(i.status()))
              .filter(i -> archs.isEmpty() || archs.contains(i.architecture()))
              .filter(
                  i -> boundTo.isEmpty() || (i.boundTo() != null && boundTo.contains(i.boundTo())))
              .filter(i -> includeDeprecated || i.deprecated() == null)
              .filter(i -> name.isEmpty() || name.get().equals(i.name()))
              .filter(i -> selector.isEmpty() || selector.get().test(i.labels()))
              .toList();
      return q.page(matching, sort).envelope("images");
    }
  }

  @GET
  @Path("/{id}")
  public Map<String, Object> get(@RestPath long id) {
    Project p = request.project();
    synchronized (p) {
      Wire.Image i = views.imageById(p, id);
      if (i == null) {
        throw ApiException.notFound("image");
      }
      return Map.of("image", i);
    }
  }

  @PUT
  @Path("/{id}")
  public Map<String, Object> update(@RestPath long id, String text) {
    Body b = Body.parse(text, Set.of("description", "type", "labels"));
    var description = b.string("description");
    var type = b.string("type");
    var labels = b.labels("labels");
    if (type.isPresent() && !type.get().equals("snapshot")) {
      throw ApiException.invalidField("type", "type can only be changed to snapshot");
    }
    Project p = request.project();
    synchronized (p) {
      ImageState i = own(p, id);
      description.ifPresent(d -> i.description = d);
      type.ifPresent(
          t -> {
            i.type = t;
            i.boundTo = null;
          });
      labels.ifPresent(
          l -> {
            i.labels.clear();
            i.labels.putAll(l);
          });
      store.changed();
      return Map.of("image", views.image(i));
    }
  }

  @DELETE
  @Path("/{id}")
  public Response delete(@RestPath long id) {
    Project p = request.project();
    synchronized (p) {
      ImageState i = own(p, id);
      if (i.protectDelete) {
        throw ApiException.protectedResource("image is protected against deletion");
      }
      if (i.status.equals("creating")) {
        throw ApiException.locked("image");
      }
      p.images.remove(id);
    }
    store.changed();
    engine.background(
        () -> {
          try {
            backend.deleteImage(id);
          } catch (RuntimeException e) {
            Log.warnf("backend could not delete image %d: %s", id, e.getMessage());
          }
        });
    return Response.noContent().build();
  }

  @POST
  @Path("/{id}/actions/change_protection")
  public Response changeProtection(@RestPath long id, String text) {
    Body b = Body.parse(text, Set.of("delete"));
    var delete = b.bool("delete");
    Project p = request.project();
    synchronized (p) {
      ImageState i = own(p, id);
      ActionState a =
          engine.newAction(p, "change_protection", List.of(new ActionState.Resource(id, "image")));
      engine.finishNow(
          a, request.forcedActionError(), () -> delete.ifPresent(d -> i.protectDelete = d));
      store.changed();
      return Response.status(201).entity(Map.of("action", views.action(a))).build();
    }
  }

  @GET
  @Path("/actions")
  public Map<String, Object> allActions(@Context UriInfo uri) {
    Query q = new Query(uri);
    List<Long> ids = q.ids("id");
    return ActionsResource.list(
        request.project(),
        q,
        views,
        a ->
            a.resources.stream().anyMatch(r -> r.type().equals("image"))
                && (ids.isEmpty() || ids.contains(a.id)));
  }

  @GET
  @Path("/{id}/actions")
  public Map<String, Object> actions(@RestPath long id, @Context UriInfo uri) {
    Project p = request.project();
    synchronized (p) {
      if (views.imageById(p, id) == null) {
        throw ApiException.notFound("image");
      }
    }
    return ActionsResource.list(p, new Query(uri), views, a -> a.touches("image", id));
  }

  @GET
  @Path("/{id}/actions/{actionId}")
  public Map<String, Object> action(@RestPath long id, @RestPath long actionId) {
    Project p = request.project();
    synchronized (p) {
      ActionState a = p.actions.get(actionId);
      if (a == null || !a.touches("image", id)) {
        throw ApiException.notFound("action");
      }
      return Map.of("action", views.action(a));
    }
  }

  /** A snapshot or backup of the project; system images cannot be changed. */
  private ImageState own(Project p, long id) {
    ImageState i = p.images.get(id);
    if (i != null) {
      return i;
    }
    if (catalog.systemImage(id).isPresent()) {
      throw new ApiException(403, "forbidden", "system images cannot be modified", null);
    }
    throw ApiException.notFound("image");
  }
}
