package dev.goldsmith.emulator.hosts;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.LongFunction;

import dev.goldsmith.emulator.backend.InvalidRuleException;
import dev.goldsmith.emulator.backend.ServerFaultKind;
import dev.goldsmith.emulator.backend.ServerFaultRule;

/**
 * The server faults of the hosts backend: {@code ipv4_drop} / {@code ipv6_drop} (an nftables table
 * in the server's netns, {@link NetworkFault}), {@code sshd_stopped} ({@code systemctl stop ssh} in
 * the server) and {@code slow_boot} (read at the next power-on). A {@code server_id} rule applies
 * at once; a {@code label_selector} rule binds to servers created later (their record keeps its
 * id). Rules survive restarts in {@code faults.json}.
 */
final class HostFaults {
  static final Set<ServerFaultKind> KINDS =
      Set.copyOf(
          EnumSet.of(
              ServerFaultKind.IPV4_DROP,
              ServerFaultKind.IPV6_DROP,
              ServerFaultKind.SSHD_STOPPED,
              ServerFaultKind.SLOW_BOOT));

  private final HostsConfig cfg;
  private final StateStore store;
  private final NspawnMachine machines;
  private final LongFunction<Object> locks;
  private final Map<String, ServerFaultRule> rules = new LinkedHashMap<>();

  /**
   * @param locks the per-server lock of the backend, held while a rule changes a server
   */
  HostFaults(
      HostsConfig cfg, StateStore store, NspawnMachine machines, LongFunction<Object> locks) {
    this.cfg = cfg;
    this.store = store;
    this.machines = machines;
    this.locks = locks;
  }

  /** Reads the stored rules. */
  void load() {
    synchronized (rules) {
      rules.clear();
      for (ServerFaultRule f : store.loadFaults(KINDS)) {
        rules.put(f.id(), f);
      }
    }
  }

  /** Stores a rule under the lowest free id {@code f<n>} and applies a server_id rule at once. */
  ServerFaultRule add(ServerFaultRule rule) {
    ServerFaultRule f;
    synchronized (rules) {
      int n = 1;
      while (rules.containsKey("f" + n)) {
        n++;
      }
      f = rule.withId("f" + n);
      if (f.serverId() != null && !store.has(f.serverId())) {
        InvalidRuleException.Collector errors =
            new InvalidRuleException.Collector("server fault rule");
        errors.add("server_id", "no server " + f.serverId() + " in the hosts backend");
        errors.throwIfAny();
      }
      rules.put(f.id(), f);
      store.saveFaults(rules.values());
    }
    if (f.serverId() != null) {
      synchronized (locks.apply(f.serverId())) {
        ServerRecord r = store.get(f.serverId());
        if (r != null) {
          apply(r, f);
        }
      }
    }
    return f;
  }

  List<ServerFaultRule> list() {
    synchronized (rules) {
      return List.copyOf(rules.values());
    }
  }

  /** Removes one rule, or all when {@code id} is null, and undoes what they did to servers. */
  void clear(String id) {
    List<ServerFaultRule> removed = new ArrayList<>();
    synchronized (rules) {
      if (id == null) {
        removed.addAll(rules.values());
        rules.clear();
      } else {
        ServerFaultRule f = rules.remove(id);
        if (f != null) {
          removed.add(f);
        }
      }
      store.saveFaults(rules.values());
    }
    for (ServerRecord r0 : store.servers()) {
      synchronized (locks.apply(r0.id())) {
        ServerRecord r = store.get(r0.id());
        if (r != null) {
          undo(r, removed);
        }
      }
    }
  }

  private void undo(ServerRecord r, List<ServerFaultRule> removed) {
    boolean touched = false;
    for (ServerFaultRule f : removed) {
      if (!aimsAt(f, r)) {
        continue;
      }
      touched = true;
      if (NetworkFault.isNetwork(f)) {
        deleteTable(r, f);
      }
      if (f.kind() == ServerFaultKind.SSHD_STOPPED
          && machines.alive(r)
          && active(r).stream().noneMatch(x -> x.kind() == ServerFaultKind.SSHD_STOPPED)) {
        machines.inServer(r, "systemctl", "start", "ssh.service");
      }
    }
    if (touched) {
      List<String> ids = new ArrayList<>(r.faultIds());
      removed.forEach(f -> ids.remove(f.id()));
      store.save(r.withFaultIds(ids));
    }
  }

  /** The ids of the selector rules that bind to a new server with these labels. */
  List<String> boundTo(Map<String, String> labels) {
    synchronized (rules) {
      return rules.values().stream().filter(f -> f.selects(labels)).map(f -> f.id()).toList();
    }
  }

  private static boolean aimsAt(ServerFaultRule f, ServerRecord r) {
    return (f.serverId() != null && f.serverId() == r.id()) || r.faultIds().contains(f.id());
  }

  /** The rules in force for a server. */
  List<ServerFaultRule> active(ServerRecord r) {
    synchronized (rules) {
      return rules.values().stream().filter(f -> aimsAt(f, r)).toList();
    }
  }

  Set<ServerFaultKind> activeKinds(ServerRecord r) {
    Set<ServerFaultKind> kinds = EnumSet.noneOf(ServerFaultKind.class);
    active(r).forEach(f -> kinds.add(f.kind()));
    return kinds;
  }

  /** The sshd delay of the server's slow_boot rule, or 0. */
  int slowBootSeconds(ServerRecord r) {
    return active(r).stream()
        .filter(f -> f.kind() == ServerFaultKind.SLOW_BOOT)
        .findFirst()
        .map(ServerFaultRule::seconds)
        .orElse(0);
  }

  /** Applies the network rules to a server's (new) namespace. */
  void applyNetwork(ServerRecord r) {
    for (ServerFaultRule f : active(r)) {
      if (NetworkFault.isNetwork(f)) {
        apply(r, f);
      }
    }
  }

  /** After a boot: a server with sshd_stopped gets its sshd stopped. */
  void afterBoot(ServerRecord r) {
    if (activeKinds(r).contains(ServerFaultKind.SSHD_STOPPED)) {
      machines.inServer(r, "systemctl", "stop", "ssh.service");
    }
  }

  private void apply(ServerRecord r, ServerFaultRule f) {
    if (NetworkFault.isNetwork(f)) {
      deleteTable(r, f);
      Cmd.run(
              cfg.commandTimeout(),
              NetworkFault.nftScript(f).getBytes(StandardCharsets.UTF_8),
              List.of("ip", "netns", "exec", cfg.machine(r.id()), "nft", "-f", "-"))
          .check();
    } else if (f.kind() == ServerFaultKind.SSHD_STOPPED && machines.alive(r)) {
      machines.inServer(r, "systemctl", "stop", "ssh.service").check();
    }
    // slow_boot takes effect at the next power-on.
  }

  private void deleteTable(ServerRecord r, ServerFaultRule f) {
    Cmd.run(
        cfg.commandTimeout(),
        "ip",
        "netns",
        "exec",
        cfg.machine(r.id()),
        "nft",
        "delete",
        "table",
        "inet",
        NetworkFault.nftTable(f));
  }
}
