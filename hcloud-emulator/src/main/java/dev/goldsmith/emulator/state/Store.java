package dev.goldsmith.emulator.state;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.quarkus.logging.Log;

import dev.goldsmith.emulator.config.EmulatorConfig;

/**
 * All projects and the id counters. A project is found by its token's key (a SHA-256 prefix, so
 * that no token is ever stored, logged or dumped). With {@code emulator.state-file} set, the state
 * is written (atomically, debounced) after every change and loaded at start.
 */
@ApplicationScoped
public class Store {
  private final Map<String, Project> projects = new ConcurrentHashMap<>();
  private final AtomicLong serverIds = new AtomicLong(100_000);
  private final AtomicLong imageIds = new AtomicLong(200_000_000);
  private final AtomicLong actionIds = new AtomicLong(1_000_000_000);
  private final AtomicLong sshKeyIds = new AtomicLong(1_000);
  private final AtomicLong ipIds = new AtomicLong(90_000_000);
  private final Optional<Path> file;
  private final ObjectMapper mapper;
  private final AtomicBoolean dirty = new AtomicBoolean();
  private final ScheduledExecutorService writer;

  public Store(EmulatorConfig config, ObjectMapper mapper) {
    this.file = config.stateFile();
    this.mapper = mapper;
    this.writer =
        file.isPresent()
            ? Executors.newSingleThreadScheduledExecutor(
                r -> {
                  Thread t = new Thread(r, "emulator-state-writer");
                  t.setDaemon(true);
                  return t;
                })
            : null;
    for (String token : config.tokens()) {
      projects.computeIfAbsent(keyOf(token), this::newProject);
    }
    config
        .readOnlyTokens()
        .ifPresent(l -> l.forEach(t -> projects.computeIfAbsent(keyOf(t), this::newProject)));
  }

  private Project newProject(String key) {
    Project p = new Project();
    p.key = key;
    return p;
  }

  /** The key a token is known by in counters and dumps: the first 12 hex digits of its SHA-256. */
  public static String keyOf(String token) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, 6);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  public Optional<Project> project(String key) {
    return Optional.ofNullable(projects.get(key));
  }

  public Map<String, Project> projects() {
    return projects;
  }

  public long nextServerId() {
    return serverIds.incrementAndGet();
  }

  public long nextImageId() {
    return imageIds.incrementAndGet();
  }

  public long nextActionId() {
    return actionIds.incrementAndGet();
  }

  public long nextSshKeyId() {
    return sshKeyIds.incrementAndGet();
  }

  public long nextIpId() {
    return ipIds.incrementAndGet();
  }

  /** Forgets every project's resources (control API reset); tokens stay. */
  public void reset() {
    for (Project p : projects.values()) {
      synchronized (p) {
        p.servers.clear();
        p.images.clear();
        p.sshKeys.clear();
        p.actions.clear();
      }
    }
    changed();
  }

  /** Marks the state changed; it is written shortly after when a state file is configured. */
  public void changed() {
    if (writer != null && dirty.compareAndSet(false, true)) {
      writer.schedule(this::write, 50, TimeUnit.MILLISECONDS);
    }
  }

  /** The whole state as JSON (control API dump and state file). */
  public ObjectNode dump() {
    ObjectNode root = mapper.createObjectNode();
    ObjectNode counters = root.putObject("counters");
    counters.put("server", serverIds.get());
    counters.put("image", imageIds.get());
    counters.put("action", actionIds.get());
    counters.put("ssh_key", sshKeyIds.get());
    counters.put("ip", ipIds.get());
    ObjectNode ps = root.putObject("projects");
    for (Map.Entry<String, Project> e : new LinkedHashMap<>(projects).entrySet()) {
      synchronized (e.getValue()) {
        ps.set(e.getKey(), mapper.valueToTree(e.getValue()));
      }
    }
    return root;
  }

  private void write() {
    dirty.set(false);
    Path target = file.orElseThrow();
    try {
      Path dir = target.toAbsolutePath().getParent();
      Files.createDirectories(dir);
      Path tmp = Files.createTempFile(dir, ".emulator-state", ".tmp");
      Files.write(tmp, mapper.writerWithDefaultPrettyPrinter().writeValueAsBytes(dump()));
      Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      Log.errorf(e, "could not write state file %s", target);
    }
  }

  /** Loads the state file if configured and present; returns whether something was loaded. */
  public boolean load() {
    if (file.isEmpty() || !Files.exists(file.get())) {
      return false;
    }
    try {
      ObjectNode root = (ObjectNode) mapper.readTree(file.get().toFile());
      ObjectNode counters = (ObjectNode) root.get("counters");
      serverIds.set(counters.get("server").asLong());
      imageIds.set(counters.get("image").asLong());
      actionIds.set(counters.get("action").asLong());
      sshKeyIds.set(counters.get("ssh_key").asLong());
      ipIds.set(counters.get("ip").asLong());
      var it = root.get("projects").fields();
      while (it.hasNext()) {
        var e = it.next();
        Project p = mapper.treeToValue(e.getValue(), Project.class);
        p.key = e.getKey();
        projects.put(e.getKey(), p);
      }
      Log.infof("loaded state from %s (%d projects)", file.get(), projects.size());
      return true;
    } catch (IOException | RuntimeException e) {
      throw new IllegalStateException("could not read state file " + file.get() + ": " + e, e);
    }
  }

  /** Writes pending changes at once (shutdown). */
  public void flush() {
    if (writer != null) {
      writer.shutdown();
      try {
        writer.awaitTermination(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      write();
    }
  }
}
