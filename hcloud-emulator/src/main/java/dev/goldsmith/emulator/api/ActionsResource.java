package dev.goldsmith.emulator.api;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.UriInfo;

import org.jboss.resteasy.reactive.RestPath;

import dev.goldsmith.emulator.state.ActionState;
import dev.goldsmith.emulator.state.Project;

/** {@code /v1/actions}: every action stays readable forever. */
@Path("/v1/actions")
@Produces(MediaType.APPLICATION_JSON)
public class ActionsResource {
  static final Set<String> STATUSES = Set.of("running", "success", "error");

  private final RequestContext request;
  private final Views views;

  public ActionsResource(RequestContext request, Views views) {
    this.request = request;
    this.views = views;
  }

  @GET
  public Map<String, Object> list(@Context UriInfo uri) {
    Query q = new Query(uri);
    List<Long> ids = q.ids("id");
    if (ids.isEmpty()) {
      throw ApiException.invalidField(
          "id", "listing actions without id was removed; pass one or more id parameters");
    }
    return list(request.project(), q, views, a -> ids.contains(a.id));
  }

  @GET
  @Path("/{id}")
  public Map<String, Object> get(@RestPath long id) {
    Project p = request.project();
    synchronized (p) {
      ActionState a = p.actions.get(id);
      if (a == null) {
        throw ApiException.notFound("action");
      }
      return Map.of("action", views.action(a));
    }
  }

  /** A filtered, sorted, paged action list ({@code status}, {@code sort}, page params). */
  static Map<String, Object> list(Project p, Query q, Views views, Predicate<ActionState> filter) {
    List<String> statuses = q.enumValues("status", STATUSES);
    Map<String, Function<ActionState, Comparable<?>>> sortable =
        Map.of(
            "id", a -> a.id,
            "command", a -> a.command,
            "status", a -> a.status,
            "started", a -> a.started,
            "finished", a -> a.finished);
    var sort = q.<ActionState>sort(sortable);
    synchronized (p) {
      List<ActionState> matching =
          p.actions.values().stream()
              .filter(filter)
              .filter(a -> statuses.isEmpty() || statuses.contains(a.status))
              .toList();
      Query.Page<ActionState> page = q.page(matching, sort);
      return new Query.Page<>(page.items().stream().map(views::action).toList(), page.meta())
          .envelope("actions");
    }
  }
}
