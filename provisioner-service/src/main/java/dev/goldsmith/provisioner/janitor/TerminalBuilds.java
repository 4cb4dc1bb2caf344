package dev.goldsmith.provisioner.janitor;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.goldsmith.provisioner.config.ProvisionerConfig;

/**
 * Build ids known to be terminal (failed, promoted, rejected), kept in memory with a bound: the
 * oldest entry is forgotten first. After a restart the set is empty again; the age TTLs still catch
 * what it forgot.
 */
@ApplicationScoped
public class TerminalBuilds {
  private final Map<UUID, String> builds;

  @Inject
  public TerminalBuilds(ProvisionerConfig config) {
    this(config.janitor().terminalBuildsCapacity());
  }

  public TerminalBuilds(int capacity) {
    this.builds =
        new LinkedHashMap<>(16, 0.75f, false) {
          @Override
          protected boolean removeEldestEntry(Map.Entry<UUID, String> eldest) {
            return size() > capacity;
          }
        };
  }

  /** Records {@code buildId} as terminal because of {@code why} (e.g. {@code build_failed}). */
  public synchronized void add(UUID buildId, String why) {
    builds.put(buildId, why);
  }

  public synchronized boolean isTerminal(UUID buildId) {
    return builds.containsKey(buildId);
  }

  public synchronized int size() {
    return builds.size();
  }
}
