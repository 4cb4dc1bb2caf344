package dev.goldsmith.emulator.backend;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import dev.goldsmith.emulator.api.LabelSelector;
import dev.goldsmith.emulator.backend.ServerBackend.BackendException;

/**
 * API semantics only: nothing answers on the addresses. Tracks which servers "run" so that a
 * shutdown turns into {@code off} after a short delay, and supports fault rules (see
 * docs/emulator.md): {@code {"kind":"ignore_shutdown"}} and {@code
 * {"kind":"fail","operation":"power_on","message":"…"}}, each optionally limited by {@code
 * server_name} or {@code label_selector}.
 */
public class VirtualBackend implements ServerBackend {
  static final Set<String> OPERATIONS =
      Set.of(
          "create",
          "power_on",
          "power_off",
          "shutdown",
          "reboot",
          "reset",
          "capture_image",
          "rebuild",
          "delete");

  private final Duration shutdownDelay;
  private final long snapshotSize;
  private final Map<Long, Long> offAt = new ConcurrentHashMap<>();
  private final Map<Long, Boolean> running = new ConcurrentHashMap<>();
  private final Map<Long, String> names = new ConcurrentHashMap<>();
  private final Map<Long, Map<String, String>> labels = new ConcurrentHashMap<>();
  private final Map<String, Map<String, Object>> rules = new ConcurrentHashMap<>();
  private final AtomicLong ruleIds = new AtomicLong();

  public VirtualBackend(Duration shutdownDelay, long snapshotSize) {
    this.shutdownDelay = shutdownDelay;
    this.snapshotSize = snapshotSize;
  }

  @Override
  public String name() {
    return "virtual";
  }

  /** Tells the backend about a server restored from the state file. */
  public void restore(long serverId, String name, Map<String, String> serverLabels, boolean on) {
    names.put(serverId, name);
    labels.put(serverId, Map.copyOf(serverLabels));
    running.put(serverId, on);
  }

  @Override
  public Addresses allocateAddresses(long serverId) {
    long n = serverId & 0x1ffffL;
    String ipv4 = "198." + (18 + (n >> 16)) + "." + ((n >> 8) & 0xff) + "." + (n & 0xff);
    String ipv6 =
        String.format("2001:db8:%x:%x::/64", (serverId >> 16) & 0xffff, serverId & 0xffff);
    return new Addresses(ipv4, ipv6);
  }

  @Override
  public void create(ServerSpec spec) {
    names.put(spec.serverId(), spec.name());
    labels.put(spec.serverId(), spec.labels() == null ? Map.of() : Map.copyOf(spec.labels()));
    fail(spec.serverId(), "create");
    running.put(spec.serverId(), false);
  }

  @Override
  public void powerOn(long serverId) {
    fail(serverId, "power_on");
    offAt.remove(serverId);
    running.put(serverId, true);
  }

  @Override
  public void powerOff(long serverId) {
    fail(serverId, "power_off");
    offAt.remove(serverId);
    running.put(serverId, false);
  }

  @Override
  public void requestShutdown(long serverId) {
    fail(serverId, "shutdown");
    if (matching(serverId, "ignore_shutdown", null) == null) {
      offAt.put(serverId, System.nanoTime() + shutdownDelay.toNanos());
    }
  }

  @Override
  public boolean isRunning(long serverId) {
    Long at = offAt.get(serverId);
    if (at != null && System.nanoTime() - at >= 0) {
      offAt.remove(serverId);
      running.put(serverId, false);
    }
    return running.getOrDefault(serverId, false);
  }

  @Override
  public void reboot(long serverId) {
    fail(serverId, "reboot");
    running.put(serverId, true);
  }

  @Override
  public void reset(long serverId) {
    fail(serverId, "reset");
    running.put(serverId, true);
  }

  @Override
  public long captureImage(long serverId, long imageId) {
    fail(serverId, "capture_image");
    return snapshotSize;
  }

  @Override
  public void rebuild(long serverId, long imageId) {
    fail(serverId, "rebuild");
  }

  @Override
  public void delete(long serverId) {
    fail(serverId, "delete");
    running.remove(serverId);
    offAt.remove(serverId);
    names.remove(serverId);
    labels.remove(serverId);
  }

  @Override
  public void deleteImage(long imageId) {}

  @Override
  public Map<String, Object> addFault(Map<String, Object> rule) {
    Object kind = rule.get("kind");
    if (!"ignore_shutdown".equals(kind) && !"fail".equals(kind)) {
      throw new IllegalArgumentException("kind must be ignore_shutdown or fail");
    }
    if ("fail".equals(kind) && !OPERATIONS.contains(String.valueOf(rule.get("operation")))) {
      throw new IllegalArgumentException("operation must be one of " + OPERATIONS);
    }
    for (String key : rule.keySet()) {
      if (!Set.of("kind", "operation", "message", "server_name", "label_selector").contains(key)) {
        throw new IllegalArgumentException("unknown field " + key);
      }
    }
    if (rule.get("label_selector") != null) {
      LabelSelector.parse(String.valueOf(rule.get("label_selector")));
    }
    Map<String, Object> stored = new LinkedHashMap<>(rule);
    String id = "vf-" + ruleIds.incrementAndGet();
    stored.put("id", id);
    rules.put(id, stored);
    return stored;
  }

  @Override
  public List<Map<String, Object>> faults() {
    return new ArrayList<>(rules.values());
  }

  @Override
  public void clearFaults(String id) {
    if (id == null) {
      rules.clear();
    } else {
      rules.remove(id);
    }
  }

  private void fail(long serverId, String operation) {
    Map<String, Object> rule = matching(serverId, "fail", operation);
    if (rule != null) {
      Object message = rule.get("message");
      throw new BackendException(
          message != null ? message.toString() : "injected failure of " + operation);
    }
  }

  private Map<String, Object> matching(long serverId, String kind, String operation) {
    for (Map<String, Object> rule : rules.values()) {
      if (!kind.equals(rule.get("kind"))) {
        continue;
      }
      if (operation != null && !operation.equals(rule.get("operation"))) {
        continue;
      }
      Object name = rule.get("server_name");
      if (name != null && !name.equals(names.get(serverId))) {
        continue;
      }
      Object selector = rule.get("label_selector");
      if (selector != null
          && !LabelSelector.parse(selector.toString())
              .test(labels.getOrDefault(serverId, Map.of()))) {
        continue;
      }
      return rule;
    }
    return null;
  }
}
