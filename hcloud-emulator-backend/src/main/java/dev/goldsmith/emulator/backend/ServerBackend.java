package dev.goldsmith.emulator.backend;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What stands behind an emulated server. The API layer owns ids, statuses, actions and labels; a
 * backend owns whatever makes a server real (or not). Every method may block: the emulator calls
 * them from worker threads while the matching action is running, and the action ends in {@code
 * error} with the exception's message when a method throws {@link BackendException}.
 *
 * <p>Two implementations exist: {@code virtual} (API semantics only; nothing answers on the
 * addresses) and {@code hosts} (every server is a real Linux host: network namespace, overlayfs,
 * systemd, sshd).
 */
public interface ServerBackend {

  /** Short name used in configuration: {@code virtual} or {@code hosts}. */
  String name();

  /** Called once at emulator start; reclaims or removes stale state of an earlier run. */
  default void start() {}

  /** Called once at emulator stop; stops every server this backend runs. */
  default void stop() {}

  /**
   * Allocates the public addresses of a new server. Called synchronously inside POST /servers,
   * because the create response already carries the addresses.
   */
  Addresses allocateAddresses(long serverId);

  /**
   * Creates the server's disk and network from an image, without booting it. {@code imageId} is a
   * system image id or a snapshot id previously returned by {@link #captureImage}.
   */
  void create(ServerSpec spec);

  /** Boots the server; returns once it is running (for real hosts: its sshd accepts TCP). */
  void powerOn(long serverId);

  /** Cuts the power: every process of the server is gone when this returns. */
  void powerOff(long serverId);

  /** Asks the server's OS to shut down (ACPI-like); returns at once. */
  void requestShutdown(long serverId);

  /** True while any process of the server runs (virtual backend: as the API says). */
  boolean isRunning(long serverId);

  /** Graceful reboot; returns once the server runs again. */
  void reboot(long serverId);

  /** Hard reset; returns once the server runs again. */
  void reset(long serverId);

  /**
   * Captures the server's disk as the immutable content of image {@code imageId}; a server created
   * later from that image sees exactly these files.
   *
   * @return size of the captured image in bytes (the API reports it in GB)
   */
  long captureImage(long serverId, long imageId);

  /** Resets the server's disk to the given image; the server is off when this is called. */
  void rebuild(long serverId, long imageId);

  /** Removes everything the server owns (processes, mounts, network, writable layer). */
  void delete(long serverId);

  /** Forgets an image; its content is removed once no server or image still uses it. */
  void deleteImage(long imageId);

  /** Size in bytes of a system image's content, or empty when unknown. */
  default java.util.OptionalLong systemImageSize(String systemImageName) {
    return java.util.OptionalLong.empty();
  }

  /** The server-fault kinds this backend supports; empty when it has none. */
  default Set<ServerFaultKind> faultKinds() {
    return Set.of();
  }

  /**
   * Stores a validated server-fault rule (control API) and applies it; see {@link ServerFaultRule}
   * for the schema. A backend without faults throws {@link UnsupportedOperationException}.
   *
   * @return the stored rule, with its id
   */
  default ServerFaultRule addFault(ServerFaultRule rule) {
    throw new UnsupportedOperationException(name() + " backend has no server faults");
  }

  /**
   * Validates a rule as sent to the control API against this backend's kinds, then stores it.
   *
   * @throws InvalidRuleException naming every bad field
   */
  default ServerFaultRule addFault(Map<String, Object> spec) {
    if (faultKinds().isEmpty()) {
      throw new UnsupportedOperationException(name() + " backend has no server faults");
    }
    return addFault(ServerFaultRule.parse(spec, faultKinds(), name()));
  }

  /** The fault rules in force. */
  default List<ServerFaultRule> faults() {
    return List.of();
  }

  /** Removes one fault rule (and undoes its effect), or every rule when {@code id} is null. */
  default void clearFaults(String id) {}

  /** How long the emulator waits for a graceful shutdown before giving up on it. */
  default Duration shutdownGrace() {
    return Duration.ofSeconds(60);
  }

  /** The addresses of a server as the API shows them. */
  record Addresses(String ipv4, String ipv6Network) {}

  /**
   * What a server is created from.
   *
   * @param serverId the API id
   * @param name the server's name (its hostname)
   * @param imageId the system image or snapshot id
   * @param systemImageName name of the system image at the root of the image chain (e.g. debian-12)
   * @param authorizedKeys public keys to put into root's authorized_keys
   * @param userData cloud-init user data as sent by the client, or null
   * @param labels the server's labels at create time (fault rules may select on them)
   */
  record ServerSpec(
      long serverId,
      String name,
      long imageId,
      String systemImageName,
      List<String> authorizedKeys,
      String userData,
      Map<String, String> labels) {}

  /** A failure of the backend; the running action ends in error with this message. */
  class BackendException extends RuntimeException {
    public BackendException(String message) {
      super(message);
    }

    public BackendException(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
