package dev.goldsmith.emulator.backend;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** The {@link ServerBackend} operations a {@code fail} server fault can make throw. */
public enum BackendOperation {
  CREATE,
  POWER_ON,
  POWER_OFF,
  SHUTDOWN,
  REBOOT,
  RESET,
  CAPTURE_IMAGE,
  REBUILD,
  DELETE;

  /** The name on the control API, e.g. {@code power_on}. */
  public String wire() {
    return name().toLowerCase();
  }

  public static Optional<BackendOperation> fromWire(String value) {
    return Arrays.stream(values()).filter(o -> o.wire().equals(value)).findFirst();
  }

  public static List<String> wireNames() {
    return Arrays.stream(values()).map(BackendOperation::wire).toList();
  }
}
