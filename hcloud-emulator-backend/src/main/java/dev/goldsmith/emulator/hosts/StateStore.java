package dev.goldsmith.emulator.hosts;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import dev.goldsmith.emulator.backend.ServerBackend.BackendException;
import dev.goldsmith.emulator.backend.ServerFaultKind;
import dev.goldsmith.emulator.backend.ServerFaultRule;

/**
 * The JSON state of one hosts instance under its state dir: {@code servers/<id>/server.json} per
 * server, {@code images/<id>.json} per captured image (its layer chain), {@code faults.json} for
 * the fault rules. Records are written atomically; the in-memory maps mirror the files.
 */
final class StateStore {
  private final HostsConfig cfg;
  private final ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  private final Map<Long, ServerRecord> servers = new ConcurrentHashMap<>();
  private final Map<Long, ServerRecord.Image> images = new ConcurrentHashMap<>();

  StateStore(HostsConfig cfg) {
    this.cfg = cfg;
  }

  ObjectMapper json() {
    return json;
  }

  /** Creates the state dir and its {@code servers}, {@code layers} and {@code images} dirs. */
  void prepareDirs() throws IOException {
    for (String d : List.of("servers", "layers", "images")) {
      Files.createDirectories(cfg.stateDir().resolve(d));
    }
  }

  /** Reads every server and image record (after a restart or a crash). */
  void load() {
    servers.clear();
    images.clear();
    try {
      try (var s = Files.list(cfg.stateDir().resolve("servers"))) {
        for (Path d : s.toList()) {
          Path f = d.resolve("server.json");
          if (Files.isRegularFile(f)) {
            ServerRecord r = json.readValue(f.toFile(), ServerRecord.class);
            servers.put(r.id(), r);
          }
        }
      }
      try (var s = Files.list(cfg.stateDir().resolve("images"))) {
        for (Path f : s.toList()) {
          if (f.toString().endsWith(".json")) {
            ServerRecord.Image i = json.readValue(f.toFile(), ServerRecord.Image.class);
            images.put(i.imageId(), i);
          }
        }
      }
    } catch (IOException e) {
      throw new BackendException("cannot read state in " + cfg.stateDir(), e);
    }
  }

  /** The record, or null. */
  ServerRecord get(long id) {
    return servers.get(id);
  }

  /** The record, or a BackendException naming the server. */
  ServerRecord require(long id) {
    ServerRecord r = servers.get(id);
    if (r == null) {
      throw new BackendException("hosts backend has no server " + id);
    }
    return r;
  }

  boolean has(long id) {
    return servers.containsKey(id);
  }

  Collection<ServerRecord> servers() {
    return List.copyOf(servers.values());
  }

  Collection<ServerRecord.Image> images() {
    return List.copyOf(images.values());
  }

  ServerRecord.Image image(long imageId) {
    return images.get(imageId);
  }

  /** Writes a server's record (atomically) and makes it the current one. */
  void save(ServerRecord r) {
    Path dir = cfg.serverDir(r.id());
    try {
      Files.createDirectories(dir);
      Path tmp = dir.resolve("server.json.tmp");
      json.writeValue(tmp.toFile(), r);
      Files.move(tmp, dir.resolve("server.json"), StandardCopyOption.ATOMIC_MOVE);
      servers.put(r.id(), r);
    } catch (IOException e) {
      throw new BackendException("cannot save record of server " + r.id(), e);
    }
  }

  /** Forgets a server whose directory is gone. */
  void forget(long id) {
    servers.remove(id);
  }

  void saveImage(ServerRecord.Image img) {
    try {
      json.writeValue(imageFile(img.imageId()).toFile(), img);
      images.put(img.imageId(), img);
    } catch (IOException e) {
      throw new BackendException("cannot save image " + img.imageId(), e);
    }
  }

  /** Forgets an image record; true when there was one. */
  boolean deleteImage(long imageId) {
    if (images.remove(imageId) == null) {
      return false;
    }
    try {
      Files.deleteIfExists(imageFile(imageId));
      return true;
    } catch (IOException e) {
      throw new BackendException("cannot forget image " + imageId, e);
    }
  }

  private Path imageFile(long imageId) {
    return cfg.stateDir().resolve("images").resolve(imageId + ".json");
  }

  /**
   * The stored fault rules, in the control API's shape (files of older versions used camelCase keys
   * and {@code type}; both are read).
   */
  List<ServerFaultRule> loadFaults(Set<ServerFaultKind> kinds) {
    Path file = faultsFile();
    List<ServerFaultRule> out = new ArrayList<>();
    if (!Files.isRegularFile(file)) {
      return out;
    }
    try {
      for (Map<String, Object> m :
          json.readValue(file.toFile(), new TypeReference<List<Map<String, Object>>>() {})) {
        Map<String, Object> spec = new LinkedHashMap<>();
        m.forEach(
            (k, v) ->
                spec.put(
                    switch (k) {
                      case "serverId" -> "server_id";
                      case "labelSelector" -> "label_selector";
                      default -> k;
                    },
                    v));
        if (!"slow_boot".equals(spec.getOrDefault("kind", spec.get("type")))) {
          spec.remove("seconds");
        }
        spec.values().removeIf(v -> v == null);
        out.add(ServerFaultRule.parse(spec, kinds, "hosts"));
      }
    } catch (IOException e) {
      throw new BackendException("cannot read fault rules " + file, e);
    }
    return out;
  }

  void saveFaults(Collection<ServerFaultRule> rules) {
    try {
      json.writeValue(faultsFile().toFile(), rules.stream().map(ServerFaultRule::toMap).toList());
    } catch (IOException e) {
      throw new BackendException("cannot save fault rules", e);
    }
  }

  private Path faultsFile() {
    return cfg.stateDir().resolve("faults.json");
  }
}
