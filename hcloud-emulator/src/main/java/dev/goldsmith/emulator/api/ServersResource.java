package dev.goldsmith.emulator.api;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

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

import dev.goldsmith.emulator.action.ActionEngine;
import dev.goldsmith.emulator.action.ActionEngine.Step;
import dev.goldsmith.emulator.backend.ServerBackend;
import dev.goldsmith.emulator.state.ActionState;
import dev.goldsmith.emulator.state.Project;
import dev.goldsmith.emulator.state.ServerState;
import dev.goldsmith.emulator.state.ServerStatus;
import dev.goldsmith.emulator.state.Store;
import dev.goldsmith.emulator.wire.Wire;

/**
 * {@code /v1/servers}: list, get, create, update and delete servers, and the list of all server
 * actions. The actions of one server are {@link ServerActionsResource}; creation is {@link
 * ServerCreation}.
 */
@Path("/v1/servers")
@Produces(MediaType.APPLICATION_JSON)
public class ServersResource {
  static final Set<String> STATUSES =
      Arrays.stream(ServerStatus.values()).map(ServerStatus::wire).collect(Collectors.toSet());

  private final RequestContext request;
  private final Store store;
  private final Views views;
  private final ActionEngine engine;
  private final ServerBackend backend;
  private final ServerCreation creation;

  public ServersResource(
      RequestContext request,
      Store store,
      Views views,
      ActionEngine engine,
      ServerBackend backend,
      ServerCreation creation) {
    this.request = request;
    this.store = store;
    this.views = views;
    this.engine = engine;
    this.backend = backend;
    this.creation = creation;
  }

  @GET
  public Map<String, Object> list(@Context UriInfo uri) {
    Query q = new Query(uri);
    Project p = request.project();
    var selector = q.labelSelector();
    var name = q.one("name");
    List<String> statuses = q.enumValues("status", STATUSES);
    Map<String, Function<ServerState, Comparable<?>>> sortable =
        Map.of(
            "id",
            s -> s.id,
            "name",
            s -> s.name,
            "created",
            s -> s.created,
            "status",
            s -> s.status.wire());
    var sort = q.<ServerState>sort(sortable);
    synchronized (p) {
      List<ServerState> matching =
          p.servers.values().stream()
              .filter(s -> name.isEmpty() || name.get().equals(s.name))
              .filter(s -> statuses.isEmpty() || statuses.contains(s.status.wire()))
              .filter(s -> selector.isEmpty() || selector.get().test(s.labels))
              .toList();
      Query.Page<ServerState> page = q.page(matching, sort);
      List<Wire.Server> items = page.items().stream().map(s -> views.server(p, s)).toList();
      return new Query.Page<>(items, page.meta()).envelope("servers");
    }
  }

  @GET
  @Path("/{id}")
  public Map<String, Object> get(@RestPath long id) {
    Project p = request.project();
    synchronized (p) {
      return Map.of("server", views.server(p, Servers.server(p, id)));
    }
  }

  @POST
  public Response create(String text) {
    ServerCreation.Request req = creation.parse(text);
    Project p = request.project();
    ServerCreation.Created c = creation.create(p, req, request.forcedActionError());
    Map<String, Object> body = new LinkedHashMap<>();
    synchronized (p) {
      body.put("server", views.server(p, c.server()));
      body.put("action", views.action(c.create()));
      body.put("next_actions", c.start() == null ? List.of() : List.of(views.action(c.start())));
      body.put("root_password", c.rootPassword());
    }
    return Response.status(201).entity(body).build();
  }

  @PUT
  @Path("/{id}")
  public Map<String, Object> update(@RestPath long id, String text) {
    Body b = Body.parse(text, Set.of("name", "labels"));
    var name = b.string("name");
    var labels = b.labels("labels");
    name.ifPresent(Servers::requireHostname);
    Project p = request.project();
    synchronized (p) {
      ServerState s = Servers.server(p, id);
      if (name.isPresent()
          && p.servers.values().stream().anyMatch(x -> x.id != id && x.name.equals(name.get()))) {
        throw ApiException.uniqueness("name", "server name is already used");
      }
      name.ifPresent(n -> s.name = n);
      labels.ifPresent(
          l -> {
            s.labels.clear();
            s.labels.putAll(l);
          });
      store.changed();
      return Map.of("server", views.server(p, s));
    }
  }

  @DELETE
  @Path("/{id}")
  public Map<String, Object> delete(@RestPath long id) {
    Project p = request.project();
    ActionState a;
    ServerState s;
    ServerStatus previous;
    synchronized (p) {
      s = Servers.server(p, id);
      if (s.protectDelete) {
        throw ApiException.protectedResource("server is protected against deletion");
      }
      Servers.requireUnlocked(s);
      a = engine.newAction(p, "delete_server", List.of(new ActionState.Resource(id, "server")));
      previous = s.status;
      s.status = ServerStatus.DELETING;
      s.lockedBy = a.id;
    }
    engine.run(
        p,
        List.of(
            new Step(
                a,
                () -> backend.delete(id),
                ok -> {
                  if (ok) {
                    p.servers.remove(id);
                    p.images.values().removeIf(i -> i.boundTo != null && i.boundTo == id);
                  } else {
                    s.status = previous;
                    s.lockedBy = 0;
                  }
                },
                request.forcedActionError())),
        null);
    store.changed();
    synchronized (p) {
      return Map.of("action", views.action(a));
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
            a.resources.stream().anyMatch(r -> r.type().equals("server"))
                && (ids.isEmpty() || ids.contains(a.id)));
  }
}
