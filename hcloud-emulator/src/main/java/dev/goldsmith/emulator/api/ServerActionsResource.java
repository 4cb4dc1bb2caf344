package dev.goldsmith.emulator.api;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.jboss.resteasy.reactive.RestPath;

import dev.goldsmith.emulator.action.ActionEngine;
import dev.goldsmith.emulator.action.ActionEngine.Step;
import dev.goldsmith.emulator.action.ShutdownWatcher;
import dev.goldsmith.emulator.backend.ServerBackend;
import dev.goldsmith.emulator.config.EmulatorConfig;
import dev.goldsmith.emulator.state.ActionState;
import dev.goldsmith.emulator.state.Catalog;
import dev.goldsmith.emulator.state.ImageState;
import dev.goldsmith.emulator.state.Project;
import dev.goldsmith.emulator.state.ServerState;
import dev.goldsmith.emulator.state.ServerStatus;
import dev.goldsmith.emulator.state.Store;
import dev.goldsmith.emulator.wire.Wire;

/** {@code /v1/servers/{id}/actions}: the actions of one server and the power and disk actions. */
@Path("/v1/servers/{id}/actions")
@Produces(MediaType.APPLICATION_JSON)
public class ServerActionsResource {
  private final RequestContext request;
  private final Store store;
  private final Catalog catalog;
  private final Views views;
  private final ActionEngine engine;
  private final ShutdownWatcher shutdowns;
  private final ImageResolver images;
  private final ServerBackend backend;
  private final EmulatorConfig config;

  public ServerActionsResource(
      RequestContext request,
      Store store,
      Catalog catalog,
      Views views,
      ActionEngine engine,
      ShutdownWatcher shutdowns,
      ImageResolver images,
      ServerBackend backend,
      EmulatorConfig config) {
    this.request = request;
    this.store = store;
    this.catalog = catalog;
    this.views = views;
    this.engine = engine;
    this.shutdowns = shutdowns;
    this.images = images;
    this.backend = backend;
    this.config = config;
  }

  @GET
  public Map<String, Object> actions(@RestPath long id, @Context UriInfo uri) {
    Project p = request.project();
    synchronized (p) {
      Servers.server(p, id);
    }
    return ActionsResource.list(p, new Query(uri), views, a -> a.touches("server", id));
  }

  @GET
  @Path("/{actionId}")
  public Map<String, Object> action(@RestPath long id, @RestPath long actionId) {
    Project p = request.project();
    synchronized (p) {
      ActionState a = p.actions.get(actionId);
      if (a == null || !a.touches("server", id)) {
        throw ApiException.notFound("action");
      }
      return Map.of("action", views.action(a));
    }
  }

  @POST
  @Path("/poweron")
  public Response powerOn(@RestPath long id, String text) {
    Body.parse(text, Set.of());
    return simple(
        id,
        "start_server",
        s -> ServerStatus.STARTING,
        () -> backend.powerOn(id),
        (s, ok) -> s.status = ok ? ServerStatus.RUNNING : ServerStatus.OFF);
  }

  @POST
  @Path("/poweroff")
  public Response powerOff(@RestPath long id, String text) {
    Body.parse(text, Set.of());
    return simple(id, "stop_server", s -> s, () -> backend.powerOff(id), whenOk(ServerStatus.OFF));
  }

  @POST
  @Path("/shutdown")
  public Response shutdown(@RestPath long id, String text) {
    Body.parse(text, Set.of());
    Project p = request.project();
    Response r =
        simple(
            id,
            "shutdown_server",
            s -> s == ServerStatus.RUNNING ? ServerStatus.STOPPING : s,
            () -> backend.requestShutdown(id),
            (s, ok) -> {
              if (!ok && s.status == ServerStatus.STOPPING) {
                s.status = ServerStatus.RUNNING;
              }
            });
    shutdowns.watch(p, id);
    return r;
  }

  @POST
  @Path("/reboot")
  public Response reboot(@RestPath long id, String text) {
    Body.parse(text, Set.of());
    return simple(
        id, "reboot_server", s -> s, () -> backend.reboot(id), whenOk(ServerStatus.RUNNING));
  }

  @POST
  @Path("/reset")
  public Response reset(@RestPath long id, String text) {
    Body.parse(text, Set.of());
    return simple(
        id, "reset_server", s -> s, () -> backend.reset(id), whenOk(ServerStatus.RUNNING));
  }

  @POST
  @Path("/rebuild")
  public Response rebuild(@RestPath long id, String text) {
    Body b = Body.parse(text, Set.of("image", "user_data"));
    String imageRef =
        b.idOrName("image")
            .orElseThrow(
                () -> ApiException.invalidField("image", "Missing data for required field."));
    b.string("user_data");
    Project p = request.project();
    ActionState a;
    ServerState s;
    ImageResolver.ResolvedImage image;
    String password = null;
    synchronized (p) {
      s = Servers.server(p, id);
      if (s.protectRebuild) {
        throw ApiException.protectedResource("server is protected against rebuild");
      }
      Servers.requireUnlocked(s);
      String arch = catalog.serverType(s.serverType).orElseThrow().architecture();
      image = images.resolve(p, imageRef, arch, "image");
      a = engine.newAction(p, "rebuild_server", List.of(new ActionState.Resource(id, "server")));
      s.status = ServerStatus.REBUILDING;
      s.lockedBy = a.id;
      if (s.sshKeyIds.isEmpty()) {
        password = Servers.password();
      }
    }
    engine.run(
        p,
        List.of(
            new Step(
                a,
                () -> {
                  if (backend.isRunning(id)) {
                    backend.powerOff(id);
                  }
                  backend.rebuild(id, image.id());
                  backend.powerOn(id);
                },
                ok -> {
                  if (ok) {
                    s.imageId = image.id();
                    s.status = ServerStatus.RUNNING;
                  } else {
                    s.status = ServerStatus.OFF;
                  }
                  s.lockedBy = 0;
                },
                request.forcedActionError())),
        null);
    store.changed();
    Map<String, Object> body = new LinkedHashMap<>();
    synchronized (p) {
      body.put("action", views.action(a));
      body.put("root_password", password);
    }
    return Response.status(201).entity(body).build();
  }

  @POST
  @Path("/create_image")
  public Response createImage(@RestPath long id, String text) {
    Body b = Body.parse(text, Set.of("type", "description", "labels"));
    String type = b.string("type").orElse("snapshot");
    if (!type.equals("snapshot") && !type.equals("backup")) {
      throw ApiException.invalidField("type", "type must be snapshot or backup");
    }
    var description = b.string("description");
    Map<String, String> labels = b.labels("labels").orElse(Map.of());
    Project p = request.project();
    ActionState a;
    ImageState img;
    ServerState s;
    synchronized (p) {
      s = Servers.server(p, id);
      Servers.requireUnlocked(s);
      long snapshots = p.images.values().stream().filter(i -> i.type.equals("snapshot")).count();
      if (snapshots >= config.limits().snapshots()) {
        throw ApiException.limit("snapshot_limit", "snapshot limit exceeded");
      }
      img = newImage(p, s, type, description.orElse(null), labels);
      p.images.put(img.id, img);
      a = engine.newAction(p, "create_image", List.of(new ActionState.Resource(id, "server")));
      s.lockedBy = a.id;
    }
    long[] size = new long[1];
    engine.run(
        p,
        List.of(
            new Step(
                a,
                () -> size[0] = backend.captureImage(id, img.id),
                ok -> {
                  if (ok) {
                    img.status = "available";
                    img.imageSize = Math.max(0.01, Math.round(size[0] / 1e7) / 100.0);
                  } else {
                    img.status = "unavailable";
                  }
                  s.lockedBy = 0;
                },
                request.forcedActionError())),
        null);
    store.changed();
    Map<String, Object> body = new LinkedHashMap<>();
    synchronized (p) {
      body.put("image", views.image(img));
      body.put("action", views.action(a));
    }
    return Response.status(201).entity(body).build();
  }

  private ImageState newImage(
      Project p, ServerState s, String type, String description, Map<String, String> labels) {
    Wire.Image source = views.imageById(p, s.imageId);
    Wire.ServerType serverType = catalog.serverType(s.serverType).orElseThrow();
    ImageState img = new ImageState();
    img.id = store.nextImageId();
    img.type = type;
    img.status = "creating";
    img.created = Times.now();
    img.description =
        description != null
            ? description
            : s.name + "-" + Times.format(img.created).replace(":", "");
    img.diskSize = serverType.disk();
    img.createdFromId = s.id;
    img.createdFromName = s.name;
    img.boundTo = type.equals("backup") ? s.id : null;
    img.osFlavor = source == null ? "unknown" : source.osFlavor();
    img.osVersion = source == null ? null : source.osVersion();
    img.architecture = serverType.architecture();
    img.systemImageName = images.systemNameOf(p, s.imageId);
    img.labels.putAll(labels);
    return img;
  }

  @POST
  @Path("/change_protection")
  public Response changeProtection(@RestPath long id, String text) {
    Body b = Body.parse(text, Set.of("delete", "rebuild"));
    var delete = b.bool("delete");
    var rebuild = b.bool("rebuild");
    Project p = request.project();
    synchronized (p) {
      ServerState s = Servers.server(p, id);
      ActionState a =
          engine.newAction(p, "change_protection", List.of(new ActionState.Resource(id, "server")));
      engine.finishNow(
          a,
          request.forcedActionError(),
          () -> {
            delete.ifPresent(d -> s.protectDelete = d);
            rebuild.ifPresent(r -> s.protectRebuild = r);
          });
      store.changed();
      return Response.status(201).entity(Map.of("action", views.action(a))).build();
    }
  }

  @POST
  @Path("/change_type")
  public Response changeType(@RestPath long id, String text) {
    Body b = Body.parse(text, Set.of("server_type", "upgrade_disk"));
    String typeRef =
        b.idOrName("server_type")
            .orElseThrow(
                () -> ApiException.invalidField("server_type", "Missing data for required field."));
    b.bool("upgrade_disk")
        .orElseThrow(
            () -> ApiException.invalidField("upgrade_disk", "Missing data for required field."));
    Wire.ServerType type =
        catalog
            .serverType(typeRef)
            .orElseThrow(
                () ->
                    ApiException.invalidField("server_type", "server type not found: " + typeRef));
    Project p = request.project();
    synchronized (p) {
      ServerState s = Servers.server(p, id);
      if (s.status != ServerStatus.OFF) {
        throw new ApiException(412, "server_not_stopped", "server must be stopped", null);
      }
      String arch = catalog.serverType(s.serverType).orElseThrow().architecture();
      if (!type.architecture().equals(arch) || !catalog.typeOfferedIn(type, s.location)) {
        throw ApiException.invalidField(
            "server_type", "server type " + type.name() + " does not fit this server");
      }
    }
    return simple(
        id,
        "change_server_type",
        s -> s,
        () -> {},
        (s, ok) -> {
          if (ok) {
            s.serverType = type.name();
          }
        });
  }

  @POST
  @Path("/enable_rescue")
  public Response enableRescue(@RestPath long id, String text) {
    Body b = Body.parse(text, Set.of("type", "ssh_keys"));
    String type = b.string("type").orElse("linux64");
    if (!type.equals("linux64")) {
      throw ApiException.invalidField("type", "type must be linux64");
    }
    List<String> keys = b.idOrNameList("ssh_keys");
    Response r =
        simple(
            id,
            "enable_rescue",
            s -> s,
            () -> {},
            (s, ok) -> {
              if (ok) {
                s.rescueEnabled = true;
              }
            });
    @SuppressWarnings("unchecked")
    Map<String, Object> body = new LinkedHashMap<>((Map<String, Object>) r.getEntity());
    body.put("root_password", keys.isEmpty() ? Servers.password() : null);
    return Response.status(201).entity(body).build();
  }

  @POST
  @Path("/disable_rescue")
  public Response disableRescue(@RestPath long id, String text) {
    Body.parse(text, Set.of());
    return simple(
        id,
        "disable_rescue",
        s -> s,
        () -> {},
        (s, ok) -> {
          if (ok) {
            s.rescueEnabled = false;
          }
        });
  }

  /** The state change of a simple action once it is done. */
  @FunctionalInterface
  interface Outcome {
    void apply(ServerState s, boolean ok);
  }

  private static Outcome whenOk(ServerStatus status) {
    return (s, ok) -> {
      if (ok) {
        s.status = status;
      }
    };
  }

  /**
   * One action on an unlocked server: the status it shows while the action runs (from the status
   * before), the backend work, and the outcome.
   */
  private Response simple(
      long id,
      String command,
      UnaryOperator<ServerStatus> statusDuring,
      ActionEngine.Work work,
      Outcome outcome) {
    Project p = request.project();
    ActionState a;
    ServerState s;
    synchronized (p) {
      s = Servers.server(p, id);
      Servers.requireUnlocked(s);
      if (s.status == ServerStatus.DELETING) {
        throw ApiException.locked("server");
      }
      a = engine.newAction(p, command, List.of(new ActionState.Resource(id, "server")));
      s.status = statusDuring.apply(s.status);
      s.lockedBy = a.id;
    }
    engine.run(
        p,
        List.of(
            new Step(
                a,
                work,
                ok -> {
                  outcome.apply(s, ok);
                  s.lockedBy = 0;
                },
                request.forcedActionError())),
        null);
    store.changed();
    synchronized (p) {
      return Response.status(201).entity(Map.of("action", views.action(a))).build();
    }
  }
}
