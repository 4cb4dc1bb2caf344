package dev.goldsmith.emulator.backend;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.Map;
import java.util.TreeMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;

import dev.goldsmith.emulator.config.EmulatorConfig;

/**
 * Chooses the backend by {@code emulator.backend}. The hosts backend lives in the backend module
 * and is built apart, so it is reached by name: {@code
 * dev.goldsmith.emulator.hosts.HostsBackend(HostsConfig)}, with the config made by {@code
 * HostsConfig.fromProperties(Map<String,String>)} from the {@code emulator.hosts.*} keys (without
 * the prefix).
 */
public class BackendFactory {
  static final String HOSTS_BACKEND = "dev.goldsmith.emulator.hosts.HostsBackend";
  static final String HOSTS_CONFIG = "dev.goldsmith.emulator.hosts.HostsConfig";

  @Produces
  @ApplicationScoped
  ServerBackend backend(EmulatorConfig config) {
    return switch (config.backend()) {
      case "virtual" ->
          new VirtualBackend(
              config.virtual().shutdownDelay(), config.virtual().snapshotSizeBytes());
      case "hosts" -> hosts(withReclaimDefault(hostsProperties(), config.stateFile().isPresent()));
      default ->
          throw new IllegalStateException(
              "emulator.backend must be virtual or hosts, not " + config.backend());
    };
  }

  /** Held for the JVM's lifetime once a slot was taken for {@code emulator.hosts.instance=auto}. */
  private static dev.goldsmith.emulator.hosts.InstanceSlots.Held autoSlot;

  /**
   * Takes the first free test slot (0..6, never the stack's instance 7) through its lock file, the
   * same lock the test kit's EmulatorProcess takes.
   */
  static synchronized int autoSlot() {
    autoSlot =
        dev.goldsmith.emulator.hosts.InstanceSlots.takeFirstFree(
            dev.goldsmith.emulator.hosts.InstanceSlots.ascending(), java.time.Duration.ZERO);
    return autoSlot.slot();
  }

  /** Every {@code emulator.hosts.*} property, without the prefix (nested keys keep their dots). */
  static Map<String, String> hostsProperties() {
    org.eclipse.microprofile.config.Config cfg =
        org.eclipse.microprofile.config.ConfigProvider.getConfig();
    Map<String, String> out = new TreeMap<>();
    for (String name : cfg.getPropertyNames()) {
      if (name.startsWith("emulator.hosts.")) {
        cfg.getOptionalValue(name, String.class)
            .ifPresent(v -> out.put(name.substring("emulator.hosts.".length()), v));
      }
    }
    return out;
  }

  /**
   * Without {@code emulator.hosts.reclaim} the backend reclaims an earlier run's servers and images
   * only when this emulator keeps its API state in a file: an emulator with in-memory state starts
   * empty, so nothing of an earlier run could ever be listed, used or deleted through its API.
   */
  static Map<String, String> withReclaimDefault(Map<String, String> properties, boolean stateful) {
    properties.putIfAbsent("reclaim", Boolean.toString(stateful));
    return properties;
  }

  static ServerBackend hosts(Map<String, String> properties) {
    if ("auto".equals(properties.get("instance"))) {
      properties.put("instance", Integer.toString(autoSlot()));
    }
    try {
      Class<?> configClass = Class.forName(HOSTS_CONFIG);
      Method from = configClass.getMethod("fromProperties", Map.class);
      Object hostsConfig = from.invoke(null, properties);
      Constructor<?> ctor = Class.forName(HOSTS_BACKEND).getConstructor(configClass);
      return (ServerBackend) ctor.newInstance(hostsConfig);
    } catch (ClassNotFoundException | NoSuchMethodException e) {
      throw new IllegalStateException(
          "the hosts backend is not available in this build ("
              + e.getMessage()
              + "); expected "
              + HOSTS_BACKEND
              + "(HostsConfig) and static "
              + HOSTS_CONFIG
              + ".fromProperties(Map<String,String>)",
          e);
    } catch (InvocationTargetException e) {
      Throwable cause = e.getCause();
      if (cause instanceof RuntimeException re) {
        throw re;
      }
      throw new IllegalStateException("hosts backend failed to start: " + cause, cause);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("hosts backend could not be created: " + e, e);
    }
  }
}
