package dev.goldsmith.emulator.backend;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import dev.goldsmith.emulator.backend.ServerBackend.BackendException;

/**
 * API semantics only: nothing answers on the addresses. Tracks which servers "run" so that a
 * shutdown turns into {@code off} after a short delay, and supports the server-fault kinds {@code
 * ignore_shutdown} and {@code fail} ({@link ServerFaultRule}), each optionally limited by {@code
 * server_id}, {@code server_name} or {@code label_selector}.
 */
public class VirtualBackend implements ServerBackend {
  static final Set<ServerFaultKind> KINDS =
      Set.of(ServerFaultKind.IGNORE_SHUTDOWN, ServerFaultKind.FAIL);

  private final Duration shutdownDelay;
  private final long snapshotSize;
  private final Map<Long, Long> offAt = new ConcurrentHashMap<>();
  private final Map<Long, Boolean> running = new ConcurrentHashMap<>();
  private final Map<Long, String> names = new ConcurrentHashMap<>();
  private final Map<Long, Map<String, String>> labels = new ConcurrentHashMap<>();
  private final Map<String, ServerFaultRule> rules = new ConcurrentHashMap<>();
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
    fail(spec.serverId(), BackendOperation.CREATE);
    running.put(spec.serverId(), false);
  }

  @Override
  public void powerOn(long serverId) {
    fail(serverId, BackendOperation.POWER_ON);
    offAt.remove(serverId);
    running.put(serverId, true);
  }

  @Override
  public void powerOff(long serverId) {
    fail(serverId, BackendOperation.POWER_OFF);
    offAt.remove(serverId);
    running.put(serverId, false);
  }

  @Override
  public void requestShutdown(long serverId) {
    fail(serverId, BackendOperation.SHUTDOWN);
    if (matching(serverId, ServerFaultKind.IGNORE_SHUTDOWN, null) == null) {
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
    fail(serverId, BackendOperation.REBOOT);
    running.put(serverId, true);
  }

  @Override
  public void reset(long serverId) {
    fail(serverId, BackendOperation.RESET);
    running.put(serverId, true);
  }

  @Override
  public long captureImage(long serverId, long imageId) {
    fail(serverId, BackendOperation.CAPTURE_IMAGE);
    return snapshotSize;
  }

  @Override
  public void rebuild(long serverId, long imageId) {
    fail(serverId, BackendOperation.REBUILD);
  }

  @Override
  public void delete(long serverId) {
    fail(serverId, BackendOperation.DELETE);
    running.remove(serverId);
    offAt.remove(serverId);
    names.remove(serverId);
    labels.remove(serverId);
  }

  @Override
  public void deleteImage(long imageId) {}

  @Override
  public Set<ServerFaultKind> faultKinds() {
    return KINDS;
  }

  @Override
  public ServerFaultRule addFault(ServerFaultRule rule) {
    ServerFaultRule stored = rule.withId("vf-" + ruleIds.incrementAndGet());
    rules.put(stored.id(), stored);
    return stored;
  }

  @Override
  public List<ServerFaultRule> faults() {
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

  private void fail(long serverId, BackendOperation operation) {
    ServerFaultRule rule = matching(serverId, ServerFaultKind.FAIL, operation);
    if (rule != null) {
      throw new BackendException(
          rule.message() != null ? rule.message() : "injected failure of " + operation.wire());
    }
  }

  private ServerFaultRule matching(
      long serverId, ServerFaultKind kind, BackendOperation operation) {
    for (ServerFaultRule rule : rules.values()) {
      if (rule.kind() == kind
          && (operation == null || operation == rule.operation())
          && rule.aimsAt(serverId, names.get(serverId), labels.getOrDefault(serverId, Map.of()))) {
        return rule;
      }
    }
    return null;
  }
}
