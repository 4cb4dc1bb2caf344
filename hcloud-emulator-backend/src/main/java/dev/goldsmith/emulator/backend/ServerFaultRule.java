package dev.goldsmith.emulator.backend;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A server fault rule of the control API ({@code /_emulator/server-faults}), one schema for both
 * backends:
 *
 * <pre>{@code
 * {"kind": "ignore_shutdown" | "fail" | "ipv4_drop" | "ipv6_drop" | "sshd_stopped" | "slow_boot",
 *  "server_id": 12, "server_name": "web-1", "label_selector": "build=42,role=test",
 *  "operation": "power_on", "message": "no power", "seconds": 30}
 * }</pre>
 *
 * <p>Which target fields a kind takes is {@link ServerFaultKind#targeting()}; {@code operation}
 * (required) and {@code message} belong to {@code fail}, {@code seconds} (1..3600, default 30) to
 * {@code slow_boot}. {@code type} is accepted as an older name of {@code kind}.
 *
 * @param id rule id given by the backend when stored, or null before
 * @param kind what breaks
 * @param serverId the server it is aimed at, or null
 * @param serverName the server name it is aimed at, or null
 * @param labelSelector the label selector it is aimed at, or null
 * @param operation the failing operation of a {@code fail} rule, or null
 * @param message the action error message of a {@code fail} rule, or null for a default
 * @param seconds the sshd delay of a {@code slow_boot} rule, or null
 */
public record ServerFaultRule(
    String id,
    ServerFaultKind kind,
    Long serverId,
    String serverName,
    String labelSelector,
    BackendOperation operation,
    String message,
    Integer seconds) {

  /** The fields a rule may have on the control API. */
  public static final Set<String> FIELDS =
      Set.of(
          "id",
          "kind",
          "type",
          "server_id",
          "server_name",
          "label_selector",
          "operation",
          "message",
          "seconds");

  private static final int DEFAULT_SECONDS = 30;

  /**
   * Validates a rule as sent to the control API; every problem is reported at once.
   *
   * @param spec the JSON object
   * @param supported the kinds of the backend that will hold the rule
   * @param backend the backend's name, for the error message
   * @throws InvalidRuleException naming each bad field
   */
  public static ServerFaultRule parse(
      Map<String, Object> spec, Set<ServerFaultKind> supported, String backend) {
    InvalidRuleException.Collector errors = new InvalidRuleException.Collector("server fault rule");
    for (String key : spec.keySet()) {
      if (!FIELDS.contains(key)) {
        errors.add(key, "unknown field; allowed: " + FIELDS.stream().sorted().toList());
      }
    }
    ServerFaultKind kind = kind(spec, supported, backend, errors);
    Long serverId = serverId(spec.get("server_id"), errors);
    String serverName = string(spec, "server_name", errors);
    String selector = string(spec, "label_selector", errors);
    if (selector != null) {
      try {
        LabelSelector.parse(selector);
      } catch (LabelSelector.InvalidSelectorException e) {
        errors.add("label_selector", e.getMessage());
      }
    }
    String message = string(spec, "message", errors);
    BackendOperation operation = null;
    Object op = spec.get("operation");
    Integer seconds = null;
    if (kind != null) {
      if (kind.targeting() == ServerFaultKind.Targeting.ONE) {
        if ((spec.get("server_id") == null) == (selector == null)) {
          errors.add(
              "server_id", kind.wire() + " needs exactly one of server_id or label_selector");
        }
        if (serverName != null) {
          errors.add("server_name", kind.wire() + " takes server_id or label_selector instead");
        }
      }
      if (kind == ServerFaultKind.FAIL) {
        operation = op == null ? null : BackendOperation.fromWire(String.valueOf(op)).orElse(null);
        if (operation == null) {
          errors.add(
              "operation",
              "fail needs an operation, one of "
                  + BackendOperation.wireNames()
                  + (op == null ? "" : ", got " + op));
        }
      } else {
        if (op != null) {
          errors.add("operation", "only a fail rule takes an operation");
        }
        if (message != null) {
          errors.add("message", "only a fail rule takes a message");
        }
      }
      if (kind == ServerFaultKind.SLOW_BOOT) {
        seconds = seconds(spec.get("seconds"), errors);
      } else if (spec.get("seconds") != null) {
        errors.add("seconds", "only a slow_boot rule takes seconds");
      }
    }
    errors.throwIfAny();
    Object id = spec.get("id");
    return new ServerFaultRule(
        id == null ? null : String.valueOf(id),
        kind,
        serverId,
        serverName,
        selector,
        operation,
        message,
        seconds);
  }

  private static ServerFaultKind kind(
      Map<String, Object> spec,
      Set<ServerFaultKind> supported,
      String backend,
      InvalidRuleException.Collector errors) {
    Object kind = spec.get("kind");
    Object type = spec.get("type");
    if (kind != null && type != null && !kind.equals(type)) {
      errors.add("type", "type is an older name of kind; give one of them");
      return null;
    }
    Object value = kind != null ? kind : type;
    List<String> names = ServerFaultKind.wireNames(supported);
    if (value == null) {
      errors.add("kind", "kind is required, one of " + names);
      return null;
    }
    ServerFaultKind k = ServerFaultKind.fromWire(String.valueOf(value)).orElse(null);
    if (k == null || !supported.contains(k)) {
      errors.add(
          "kind",
          (k == null ? "unknown kind " : "the " + backend + " backend has no kind ")
              + value
              + "; it has "
              + names);
      return null;
    }
    return k;
  }

  private static Long serverId(Object v, InvalidRuleException.Collector errors) {
    if (v == null) {
      return null;
    }
    if (v instanceof Number n && n.doubleValue() == n.longValue()) {
      return n.longValue();
    }
    if (v instanceof String s && s.matches("[0-9]{1,18}")) {
      return Long.parseLong(s);
    }
    errors.add("server_id", "server_id must be an integer, got " + v);
    return null;
  }

  private static Integer seconds(Object v, InvalidRuleException.Collector errors) {
    if (v == null) {
      return DEFAULT_SECONDS;
    }
    if (v instanceof Number n && n.doubleValue() == n.intValue()) {
      if (n.intValue() >= 1 && n.intValue() <= 3600) {
        return n.intValue();
      }
    }
    errors.add("seconds", "seconds must be an integer within 1..3600, got " + v);
    return null;
  }

  private static String string(
      Map<String, Object> spec, String key, InvalidRuleException.Collector errors) {
    Object v = spec.get(key);
    if (v == null) {
      return null;
    }
    if (!(v instanceof String s) || s.isBlank()) {
      errors.add(key, key + " must be a non-empty string");
      return null;
    }
    return s;
  }

  /** The same rule with the id the backend gave it. */
  public ServerFaultRule withId(String newId) {
    return new ServerFaultRule(
        newId, kind, serverId, serverName, labelSelector, operation, message, seconds);
  }

  /** Whether a rule of targeting {@code ANY} is aimed at this server. */
  public boolean aimsAt(long id, String name, Map<String, String> labels) {
    return (serverId == null || serverId == id)
        && (serverName == null || serverName.equals(name))
        && (labelSelector == null
            || LabelSelector.parse(labelSelector).test(labels == null ? Map.of() : labels));
  }

  /** Whether a {@code label_selector} rule binds to a new server with these labels. */
  public boolean selects(Map<String, String> labels) {
    return labelSelector != null
        && LabelSelector.parse(labelSelector).test(labels == null ? Map.of() : labels);
  }

  /** The rule as the control API shows it (the same shape {@link #parse} reads). */
  public Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", id);
    m.put("kind", kind.wire());
    putIfSet(m, "server_id", serverId);
    putIfSet(m, "server_name", serverName);
    putIfSet(m, "label_selector", labelSelector);
    putIfSet(m, "operation", operation == null ? null : operation.wire());
    putIfSet(m, "message", message);
    putIfSet(m, "seconds", seconds);
    return m;
  }

  private static void putIfSet(Map<String, Object> m, String key, Object value) {
    if (value != null) {
      m.put(key, value);
    }
  }
}
