package dev.goldsmith.emulator.api;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import dev.goldsmith.emulator.action.ActionEngine;
import dev.goldsmith.emulator.action.ActionEngine.Step;
import dev.goldsmith.emulator.backend.ServerBackend;
import dev.goldsmith.emulator.config.EmulatorConfig;
import dev.goldsmith.emulator.state.ActionState;
import dev.goldsmith.emulator.state.Catalog;
import dev.goldsmith.emulator.state.Project;
import dev.goldsmith.emulator.state.ServerState;
import dev.goldsmith.emulator.state.ServerStatus;
import dev.goldsmith.emulator.state.SshKeyState;
import dev.goldsmith.emulator.state.Store;
import dev.goldsmith.emulator.wire.Wire;

/**
 * {@code POST /v1/servers} without the HTTP: validates the request ({@link #parse}), builds the
 * server's state, and starts its {@code create_server} (and {@code start_server}) actions.
 */
@ApplicationScoped
public class ServerCreation {
  static final Set<String> FIELDS =
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
  private static final int USER_DATA_MAX_BYTES = 32768;
  private static final String DEFAULT_LOCATION = "fsn1";

  private final Store store;
  private final Catalog catalog;
  private final ImageResolver images;
  private final ActionEngine engine;
  private final ServerBackend backend;
  private final EmulatorConfig config;

  public ServerCreation(
      Store store,
      Catalog catalog,
      ImageResolver images,
      ActionEngine engine,
      ServerBackend backend,
      EmulatorConfig config) {
    this.store = store;
    this.catalog = catalog;
    this.images = images;
    this.engine = engine;
    this.backend = backend;
    this.config = config;
  }

  /** A create request that passed the checks that need no project state. */
  record Request(
      String name,
      Wire.ServerType type,
      String imageRef,
      String location,
      List<String> keyRefs,
      String userData,
      boolean start,
      Map<String, String> labels,
      boolean ipv4,
      boolean ipv6) {}

  /** What a create left behind: the server, its actions, and the root password if one was made. */
  record Created(ServerState server, ActionState create, ActionState start, String rootPassword) {}

  /** Reads and checks the request body. */
  Request parse(String text) {
    Body b = Body.parse(text, FIELDS);
    String name = b.requiredString("name");
    Servers.requireHostname(name);
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
    String location = location(b);
    if (!catalog.typeOfferedIn(type, location)) {
      throw ApiException.invalidField(
          "server_type", "server type " + type.name() + " is not available in " + location);
    }
    List<String> keyRefs = b.idOrNameList("ssh_keys");
    String userData = b.string("user_data").orElse(null);
    if (userData != null
        && userData.getBytes(StandardCharsets.UTF_8).length > USER_DATA_MAX_BYTES) {
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
    return new Request(
        name, type, imageRef, location, keyRefs, userData, start, labels, ipv4, ipv6);
  }

  private String location(Body b) {
    var locationRef = b.idOrName("location");
    var datacenterRef = b.idOrName("datacenter");
    if (locationRef.isPresent() && datacenterRef.isPresent()) {
      throw ApiException.invalidField("location", "location and datacenter are mutually exclusive");
    }
    if (datacenterRef.isPresent()) {
      return catalog
          .datacenter(datacenterRef.get())
          .orElseThrow(() -> ApiException.invalidField("datacenter", "datacenter not found"))
          .location()
          .name();
    }
    return catalog
        .location(locationRef.orElse(DEFAULT_LOCATION))
        .orElseThrow(() -> ApiException.invalidField("location", "location not found"))
        .name();
  }

  /**
   * Adds the server to the project and runs its actions.
   *
   * @param forcedError the action error a fault rule forces on {@code create_server}, or null
   */
  Created create(Project p, Request req, String forcedError) {
    Created created;
    ServerBackend.ServerSpec spec;
    synchronized (p) {
      ImageResolver.ResolvedImage image =
          images.resolve(p, req.imageRef(), req.type().architecture(), "image");
      List<SshKeyState> keys = keys(p, req.keyRefs());
      if (p.servers.values().stream().anyMatch(x -> x.name.equals(req.name()))) {
        throw ApiException.uniqueness("name", "server name is already used");
      }
      if (p.servers.size() >= config.limits().servers()) {
        throw ApiException.limit("server_limit", "server limit exceeded");
      }
      ServerState s = newServer(req, image.id(), keys);
      String rootPassword = null;
      if (keys.isEmpty()) {
        rootPassword = Servers.password();
        s.hasRootPassword = true;
      }
      p.servers.put(s.id, s);
      List<ActionState.Resource> res = List.of(new ActionState.Resource(s.id, "server"));
      ActionState create = engine.newAction(p, "create_server", res);
      ActionState start = req.start() ? engine.newAction(p, "start_server", res) : null;
      s.lockedBy = create.id;
      created = new Created(s, create, start, rootPassword);
      spec =
          new ServerBackend.ServerSpec(
              s.id,
              req.name(),
              image.id(),
              image.systemName(),
              keys.stream().map(k -> k.publicKey).toList(),
              req.userData(),
              Map.copyOf(req.labels()));
    }
    engine.run(p, steps(created, spec, forcedError), null);
    store.changed();
    return created;
  }

  private static List<SshKeyState> keys(Project p, List<String> refs) {
    List<SshKeyState> keys = new ArrayList<>();
    for (String ref : refs) {
      keys.add(
          p.sshKeys.values().stream()
              .filter(k -> Long.toString(k.id).equals(ref) || k.name.equals(ref))
              .findFirst()
              .orElseThrow(
                  () -> ApiException.invalidField("ssh_keys", "ssh key not found: " + ref)));
    }
    return keys;
  }

  private ServerState newServer(Request req, long imageId, List<SshKeyState> keys) {
    ServerState s = new ServerState();
    s.id = store.nextServerId();
    s.name = req.name();
    s.status = ServerStatus.INITIALIZING;
    s.created = Times.now();
    s.serverType = req.type().name();
    s.location = req.location();
    s.imageId = imageId;
    s.labels.putAll(req.labels());
    s.sshKeyIds.addAll(keys.stream().map(k -> k.id).toList());
    s.userData = req.userData();
    s.hasIpv4 = req.ipv4();
    s.hasIpv6 = req.ipv6();
    ServerBackend.Addresses addresses = backend.allocateAddresses(s.id);
    s.ipv4 = addresses.ipv4();
    s.ipv4Id = store.nextIpId();
    s.ipv6Network = addresses.ipv6Network();
    s.ipv6Id = store.nextIpId();
    return s;
  }

  private List<Step> steps(Created c, ServerBackend.ServerSpec spec, String forcedError) {
    ServerState server = c.server();
    boolean willStart = c.start() != null;
    List<Step> steps = new ArrayList<>();
    steps.add(
        new Step(
            c.create(),
            () -> backend.create(spec),
            ok -> {
              if (ok && willStart) {
                server.status = ServerStatus.STARTING;
              } else {
                server.status = ServerStatus.OFF;
                server.lockedBy = 0;
              }
            },
            forcedError));
    if (willStart) {
      steps.add(
          new Step(
              c.start(),
              () -> backend.powerOn(server.id),
              ok -> {
                server.status = ok ? ServerStatus.RUNNING : ServerStatus.OFF;
                server.lockedBy = 0;
              },
              null));
    }
    return steps;
  }
}
