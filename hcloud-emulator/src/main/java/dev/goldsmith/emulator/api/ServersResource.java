package dev.goldsmith.emulator.api;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

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
import dev.goldsmith.emulator.config.EmulatorConfig;
import dev.goldsmith.emulator.state.ActionState;
import dev.goldsmith.emulator.state.Catalog;
import dev.goldsmith.emulator.state.ImageState;
import dev.goldsmith.emulator.state.Project;
import dev.goldsmith.emulator.state.ServerState;
import dev.goldsmith.emulator.state.SshKeyState;
import dev.goldsmith.emulator.state.Store;
import dev.goldsmith.emulator.wire.Wire;

/** {@code /v1/servers}: servers and their actions. */
@Path("/v1/servers")
@Produces(MediaType.APPLICATION_JSON)
public class ServersResource {
  static final Set<String> STATUSES =
      Set.of(
          "running",
          "initializing",
          "starting",
          "stopping",
          "off",
          "deleting",
          "migrating",
          "rebuilding",
          "unknown");
  private static final Set<String> CREATE_FIELDS =
      Set.of(
          "name",
          "server_type",
          "image",
          "location",
          "datacenter",
          "ssh_keys",
          "user_data",
          "start_after_create",
          "labels",
          "automount",
          "public_net",
          "networks",
          "volumes",
          "firewalls",
          "placement_group");
  private static final Pattern HOSTNAME =
      Pattern.compile(
          "^(?=.{1,253}$)[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
              + "(\\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$");
  private static final SecureRandom RANDOM = new SecureRandom();

  private final RequestContext request;
  private final Store store;
  private final Catalog catalog;
  private final Views views;
  private final ActionEngine engine;
  private final ServerBackend backend;
  private final EmulatorConfig config;

  public ServersResource(
      RequestContext request,
      Store store,
      Catalog catalog,
      Views views,
      ActionEngine engine,
      ServerBackend backend,
      EmulatorConfig config) {
    this.request = request;
    this.store = store;
    this.catalog = catalog;
    this.views = views;
    this.engine = engine;
    this.backend = backend;
    this.config = config;
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
            s -> s.status);
    var sort = q.<ServerState>sort(sortable);
    synchronized (p) {
      List<ServerState> matching =
          p.servers.values().stream()
              .filter(s -> name.isEmpty() || name.get().equals(s.name))
              .filter(s -> statuses.isEmpty() || statuses.contains(s.status))
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
      return Map.of("server", views.server(p, server(p, id)));
    }
  }

  @POST
  public Response create(String text) {
    Body b = Body.parse(text, CREATE_FIELDS);
    Project p = request.project();
    String name = b.requiredString("name");
    if (!HOSTNAME.matcher(name).matches()) {
      throw ApiException.invalidField("name", "name must be a valid hostname");
    }
    String typeRef =
        b.idOrName("server_type")
            .orElseThrow(
                () -> ApiException.invalidField("server_type", "Missing data for required field."));
    Wire.ServerType type =
        catalog
            .serverType(typeRef)
            .orElseThrow(
                () ->
                    ApiException.invalidField("server_type", "server type not found: " + typeRef));
    String imageRef =
        b.idOrName("image")
            .orElseThrow(
                () -> ApiException.invalidField("image", "Missing data for required field."));
    var locationRef = b.idOrName("location");
    var datacenterRef = b.idOrName("datacenter");
    if (locationRef.isPresent() && datacenterRef.isPresent()) {
      throw ApiException.invalidField("location", "location and datacenter are mutually exclusive");
    }
    String location;
    if (datacenterRef.isPresent()) {
      location =
          catalog
              .datacenter(datacenterRef.get())
              .orElseThrow(() -> ApiException.invalidField("datacenter", "datacenter not found"))
              .location()
              .name();
    } else {
      location =
          catalog
              .location(locationRef.orElse("fsn1"))
              .orElseThrow(() -> ApiException.invalidField("location", "location not found"))
              .name();
    }
    if (!catalog.typeOfferedIn(type, location)) {
      throw ApiException.invalidField(
          "server_type", "server type " + type.name() + " is not available in " + location);
    }
    List<String> keyRefs = b.idOrNameList("ssh_keys");
    String userData = b.string("user_data").orElse(null);
    if (userData != null
        && userData.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > 32768) {
      throw ApiException.invalidField("user_data", "user_data must be at most 32 KiB");
    }
    boolean start = b.bool("start_after_create").orElse(true);
    Map<String, String> labels = b.labels("labels").orElse(Map.of());
    b.bool("automount");
    boolean ipv4 = true;
    boolean ipv6 = true;
    var publicNet = b.object("public_net", Set.of("enable_ipv4", "enable_ipv6", "ipv4", "ipv6"));
    if (publicNet.isPresent()) {
      ipv4 = publicNet.get().bool("enable_ipv4").orElse(true);
      ipv6 = publicNet.get().bool("enable_ipv6").orElse(true);
    }
    b.optionalArray("networks");
    b.optionalArray("volumes");
    b.optionalArray("firewalls");

    ServerState s;
    ActionState create;
    ActionState startAction = null;
    String rootPassword = null;
    ServerBackend.ServerSpec spec;
    synchronized (p) {
      ResolvedImage image = resolveImage(p, imageRef, type.architecture(), "image");
      List<SshKeyState> keys = new ArrayList<>();
      for (String ref : keyRefs) {
        keys.add(
            p.sshKeys.values().stream()
                .filter(k -> Long.toString(k.id).equals(ref) || k.name.equals(ref))
                .findFirst()
                .orElseThrow(
                    () -> ApiException.invalidField("ssh_keys", "ssh key not found: " + ref)));
      }
      if (p.servers.values().stream().anyMatch(x -> x.name.equals(name))) {
        throw ApiException.uniqueness("name", "server name is already used");
      }
      if (p.servers.size() >= config.limits().servers()) {
        throw ApiException.limit("server_limit", "server limit exceeded");
      }
      s = new ServerState();
      s.id = store.nextServerId();
      s.name = name;
      s.status = "initializing";
      s.created = Times.now();
      s.serverType = type.name();
      s.location = location;
      s.imageId = image.id();
      s.labels.putAll(labels);
      s.sshKeyIds.addAll(keys.stream().map(k -> k.id).toList());
      s.userData = userData;
      s.hasIpv4 = ipv4;
      s.hasIpv6 = ipv6;
      ServerBackend.Addresses addresses = backend.allocateAddresses(s.id);
      s.ipv4 = addresses.ipv4();
      s.ipv4Id = store.nextIpId();
      s.ipv6Network = addresses.ipv6Network();
      s.ipv6Id = store.nextIpId();
      if (keys.isEmpty()) {
        rootPassword = password();
        s.hasRootPassword = true;
      }
      p.servers.put(s.id, s);
      List<ActionState.Resource> res = List.of(new ActionState.Resource(s.id, "server"));
      create = engine.newAction(p, "create_server", res);
      if (start) {
        startAction = engine.newAction(p, "start_server", res);
      }
      s.lockedBy = create.id;
      spec =
          new ServerBackend.ServerSpec(
              s.id,
              name,
              image.id(),
              image.systemName(),
              keys.stream().map(k -> k.publicKey).toList(),
              userData,
              Map.copyOf(labels));
    }
    final ServerState server = s;
    final boolean willStart = start;
    List<Step> steps = new ArrayList<>();
    steps.add(
        new Step(
            create,
            () -> backend.create(spec),
            ok -> {
              if (ok && willStart) {
                server.status = "starting";
              } else {
                server.status = "off";
                server.lockedBy = 0;
              }
            },
            request.forcedActionError()));
    if (startAction != null) {
      steps.add(
          new Step(
              startAction,
              () -> backend.powerOn(server.id),
              ok -> {
                server.status = ok ? "running" : "off";
                server.lockedBy = 0;
              },
              null));
    }
    engine.run(p, steps, null);
    store.changed();
    Map<String, Object> body = new LinkedHashMap<>();
    synchronized (p) {
      body.put("server", views.server(p, s));
      body.put("action", views.action(create));
      body.put(
          "next_actions", startAction == null ? List.of() : List.of(views.action(startAction)));
      body.put("root_password", rootPassword);
    }
    return Response.status(201).entity(body).build();
  }

  @PUT
  @Path("/{id}")
  public Map<String, Object> update(@RestPath long id, String text) {
    Body b = Body.parse(text, Set.of("name", "labels"));
    var name = b.string("name");
    var labels = b.labels("labels");
    if (name.isPresent() && !HOSTNAME.matcher(name.get()).matches()) {
      throw ApiException.invalidField("name", "name must be a valid hostname");
    }
    Project p = request.project();
    synchronized (p) {
      ServerState s = server(p, id);
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
    String previous;
    synchronized (p) {
      s = server(p, id);
      if (s.protectDelete) {
        throw ApiException.protectedResource("server is protected against deletion");
      }
      requireUnlocked(s);
      a = engine.newAction(p, "delete_server", List.of(new ActionState.Resource(id, "server")));
      previous = s.status;
      s.status = "deleting";
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

  // ---- actions of servers

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

  @GET
  @Path("/{id}/actions")
  public Map<String, Object> actions(@RestPath long id, @Context UriInfo uri) {
    Project p = request.project();
    synchronized (p) {
      server(p, id);
    }
    return ActionsResource.list(p, new Query(uri), views, a -> a.touches("server", id));
  }

  @GET
  @Path("/{id}/actions/{actionId}")
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
  @Path("/{id}/actions/poweron")
  public Response powerOn(@RestPath long id, String text) {
    Body.parse(text, Set.of());
    return simple(
        id,
        "start_server",
        s -> "starting",
        () -> backend.powerOn(id),
        (s, ok) -> s.status = ok ? "running" : "off");
  }

  @POST
  @Path("/{id}/actions/poweroff")
  public Response powerOff(@RestPath long id, String text) {
    Body.parse(text, Set.of());
    return simple(
        id,
        "stop_server",
        s -> s.status,
        () -> backend.powerOff(id),
        (s, ok) -> {
          if (ok) {
            s.status = "off";
          }
        });
  }

  @POST
  @Path("/{id}/actions/shutdown")
  public Response shutdown(@RestPath long id, String text) {
    Body.parse(text, Set.of());
    Project p = request.project();
    Response r =
        simple(
            id,
            "shutdown_server",
            s -> s.status.equals("running") ? "stopping" : s.status,
            () -> backend.requestShutdown(id),
            (s, ok) -> {
              if (!ok && s.status.equals("stopping")) {
                s.status = "running";
              }
            });
    engine.background(() -> awaitOff(p, id));
    return r;
  }

  /** After a shutdown request: the server is off once the backend says it no longer runs. */
  private void awaitOff(Project p, long id) {
    long pollMs = Math.max(10, config.actions().shutdownPollInterval().toMillis());
    long deadline = System.nanoTime() + backend.shutdownGrace().toNanos();
    // wait until the shutdown action itself is over
    while (true) {
      synchronized (p) {
        ServerState s = p.servers.get(id);
        if (s == null || !s.status.equals("stopping")) {
          return;
        }
        if (s.lockedBy == 0) {
          break;
        }
      }
      if (!sleep(pollMs)) {
        return;
      }
    }
    while (System.nanoTime() < deadline) {
      boolean running = backend.isRunning(id);
      synchronized (p) {
        ServerState s = p.servers.get(id);
        if (s == null || !s.status.equals("stopping")) {
          return;
        }
        if (!running) {
          s.status = "off";
          store.changed();
          return;
        }
      }
      if (!sleep(pollMs)) {
        return;
      }
    }
    synchronized (p) {
      ServerState s = p.servers.get(id);
      if (s != null && s.status.equals("stopping")) {
        s.status = "running";
        store.changed();
      }
    }
  }

  private static boolean sleep(long ms) {
    try {
      Thread.sleep(ms);
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  @POST
  @Path("/{id}/actions/reboot")
  public Response reboot(@RestPath long id, String text) {
    Body.parse(text, Set.of());
    return simple(
        id,
        "reboot_server",
        s -> s.status,
        () -> backend.reboot(id),
        (s, ok) -> {
          if (ok) {
            s.status = "running";
          }
        });
  }

  @POST
  @Path("/{id}/actions/reset")
  public Response reset(@RestPath long id, String text) {
    Body.parse(text, Set.of());
    return simple(
        id,
        "reset_server",
        s -> s.status,
        () -> backend.reset(id),
        (s, ok) -> {
          if (ok) {
            s.status = "running";
          }
        });
  }

  @POST
  @Path("/{id}/actions/rebuild")
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
    ResolvedImage image;
    String password = null;
    synchronized (p) {
      s = server(p, id);
      if (s.protectRebuild) {
        throw ApiException.protectedResource("server is protected against rebuild");
      }
      requireUnlocked(s);
      String arch = catalog.serverType(s.serverType).orElseThrow().architecture();
      image = resolveImage(p, imageRef, arch, "image");
      a = engine.newAction(p, "rebuild_server", List.of(new ActionState.Resource(id, "server")));
      s.status = "rebuilding";
      s.lockedBy = a.id;
      if (s.sshKeyIds.isEmpty()) {
        password = password();
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
                    s.status = "running";
                  } else {
                    s.status = "off";
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
  @Path("/{id}/actions/create_image")
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
      s = server(p, id);
      requireUnlocked(s);
      long snapshots = p.images.values().stream().filter(i -> i.type.equals("snapshot")).count();
      if (snapshots >= config.limits().snapshots()) {
        throw ApiException.limit("snapshot_limit", "snapshot limit exceeded");
      }
      Wire.Image source = views.imageById(p, s.imageId);
      img = new ImageState();
      img.id = store.nextImageId();
      img.type = type;
      img.status = "creating";
      img.created = Times.now();
      img.description =
          description.orElse(s.name + "-" + Times.format(img.created).replace(":", ""));
      img.diskSize = catalog.serverType(s.serverType).orElseThrow().disk();
      img.createdFromId = s.id;
      img.createdFromName = s.name;
      img.boundTo = type.equals("backup") ? s.id : null;
      img.osFlavor = source == null ? "unknown" : source.osFlavor();
      img.osVersion = source == null ? null : source.osVersion();
      img.architecture = catalog.serverType(s.serverType).orElseThrow().architecture();
      img.systemImageName = systemNameOf(p, s.imageId);
      img.labels.putAll(labels);
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

  @POST
  @Path("/{id}/actions/change_protection")
  public Response changeProtection(@RestPath long id, String text) {
    Body b = Body.parse(text, Set.of("delete", "rebuild"));
    var delete = b.bool("delete");
    var rebuild = b.bool("rebuild");
    Project p = request.project();
    synchronized (p) {
      ServerState s = server(p, id);
      ActionState a =
          engine.newAction(p, "change_protection", List.of(new ActionState.Resource(id, "server")));
      if (request.forcedActionError() != null) {
        a.status = "error";
        a.progress = 100;
        a.finished = Times.now();
        a.errorCode = "action_failed";
        a.errorMessage = request.forcedActionError();
      } else {
        delete.ifPresent(d -> s.protectDelete = d);
        rebuild.ifPresent(r -> s.protectRebuild = r);
        engine.finishNow(a);
      }
      store.changed();
      return Response.status(201).entity(Map.of("action", views.action(a))).build();
    }
  }

  @POST
  @Path("/{id}/actions/change_type")
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
      ServerState s = server(p, id);
      if (!s.status.equals("off")) {
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
        s -> s.status,
        () -> {},
        (s, ok) -> {
          if (ok) {
            s.serverType = type.name();
          }
        });
  }

  @POST
  @Path("/{id}/actions/enable_rescue")
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
            s -> s.status,
            () -> {},
            (s, ok) -> {
              if (ok) {
                s.rescueEnabled = true;
              }
            });
    @SuppressWarnings("unchecked")
    Map<String, Object> body = new LinkedHashMap<>((Map<String, Object>) r.getEntity());
    body.put("root_password", keys.isEmpty() ? password() : null);
    return Response.status(201).entity(body).build();
  }

  @POST
  @Path("/{id}/actions/disable_rescue")
  public Response disableRescue(@RestPath long id, String text) {
    Body.parse(text, Set.of());
    return simple(
        id,
        "disable_rescue",
        s -> s.status,
        () -> {},
        (s, ok) -> {
          if (ok) {
            s.rescueEnabled = false;
          }
        });
  }

  // ---- helpers

  /** The state change of a simple power action. */
  @FunctionalInterface
  interface Outcome {
    void apply(ServerState s, boolean ok);
  }

  private Response simple(
      long id,
      String command,
      Function<ServerState, String> statusDuring,
      ActionEngine.Work work,
      Outcome outcome) {
    Project p = request.project();
    ActionState a;
    ServerState s;
    synchronized (p) {
      s = server(p, id);
      requireUnlocked(s);
      if (s.status.equals("deleting")) {
        throw ApiException.locked("server");
      }
      a = engine.newAction(p, command, List.of(new ActionState.Resource(id, "server")));
      s.status = statusDuring.apply(s);
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

  static ServerState server(Project p, long id) {
    ServerState s = p.servers.get(id);
    if (s == null) {
      throw ApiException.notFound("server");
    }
    return s;
  }

  private static void requireUnlocked(ServerState s) {
    if (s.lockedBy != 0) {
      throw ApiException.locked("server");
    }
  }

  /** An image a server can be created from or rebuilt to. */
  record ResolvedImage(long id, String systemName) {}

  private ResolvedImage resolveImage(Project p, String ref, String arch, String field) {
    if (ref.chars().allMatch(Character::isDigit)) {
      long id = Long.parseLong(ref);
      ImageState own = p.images.get(id);
      if (own != null) {
        if (!own.status.equals("available")) {
          throw ApiException.invalidField(field, "image is not available");
        }
        if (!own.architecture.equals(arch)) {
          throw ApiException.invalidField(field, "image architecture does not match server type");
        }
        return new ResolvedImage(id, own.systemImageName);
      }
      var sys = catalog.systemImage(id);
      if (sys.isPresent()) {
        if (!sys.get().architecture().equals(arch)) {
          throw ApiException.invalidField(field, "image architecture does not match server type");
        }
        return new ResolvedImage(id, sys.get().name());
      }
      throw ApiException.invalidField(field, "image not found: " + ref);
    }
    return catalog.systemImages().stream()
        .filter(i -> i.name().equals(ref) && i.architecture().equals(arch))
        .findFirst()
        .map(i -> new ResolvedImage(i.id(), i.name()))
        .orElseThrow(() -> ApiException.invalidField(field, "image not found: " + ref));
  }

  private String systemNameOf(Project p, long imageId) {
    ImageState own = p.images.get(imageId);
    if (own != null) {
      return own.systemImageName;
    }
    return catalog.systemImage(imageId).map(Catalog.SystemImage::name).orElse(null);
  }

  private static String password() {
    String alphabet = "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < 20; i++) {
      b.append(alphabet.charAt(RANDOM.nextInt(alphabet.length())));
    }
    return b.toString();
  }
}
