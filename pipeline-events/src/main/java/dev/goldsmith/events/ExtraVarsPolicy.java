package dev.goldsmith.events;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Bounds on the extra variables a request may pass to the playbook. Both the registry (at intake)
 * and the configurator (before running Ansible) apply them: names of Ansible's own variables and
 * anything that would change how Ansible connects are refused.
 */
public final class ExtraVarsPolicy {
  public static final int MAX_VARIABLES = 50;
  public static final int MAX_VALUE_JSON_BYTES = 4096;
  public static final int MAX_TOTAL_JSON_BYTES = 32 * 1024;

  /** Magic and connection-related names Ansible reserves, besides every {@code ansible_*}. */
  private static final Set<String> RESERVED =
      Set.of(
          "hostvars",
          "groups",
          "group_names",
          "inventory_hostname",
          "inventory_hostname_short",
          "inventory_dir",
          "inventory_file",
          "omit",
          "play_hosts",
          "playbook_dir",
          "role_name",
          "role_names",
          "role_path",
          "environment",
          "vars",
          "lookup",
          "become",
          "become_user",
          "become_method",
          "become_exe",
          "become_flags",
          "remote_user",
          "connection",
          "delegate_to",
          "port",
          "gather_facts",
          "any_errors_fatal");

  private ExtraVarsPolicy() {}

  /** Every problem with {@code vars}, empty when they may be passed to the playbook. */
  public static List<String> problems(Map<String, Object> vars) {
    List<String> errors = new ArrayList<>();
    if (vars == null || vars.isEmpty()) {
      return errors;
    }
    if (vars.size() > MAX_VARIABLES) {
      errors.add(
          "extraVars: at most "
              + MAX_VARIABLES
              + " variables are allowed (got "
              + vars.size()
              + ")");
    }
    int total = 0;
    for (Map.Entry<String, Object> e : vars.entrySet()) {
      String name = e.getKey();
      if (name == null || !name.matches(Patterns.VARIABLE)) {
        errors.add("extraVars." + name + ": not a valid variable name (" + Patterns.VARIABLE + ")");
        continue;
      }
      if (isReserved(name)) {
        errors.add(
            "extraVars."
                + name
                + ": reserved Ansible variable; connection and magic variables cannot be set");
      }
      int size = jsonSize(e.getValue());
      total += size;
      if (size > MAX_VALUE_JSON_BYTES) {
        errors.add(
            "extraVars."
                + name
                + ": value is "
                + size
                + " bytes of JSON, at most "
                + MAX_VALUE_JSON_BYTES
                + " are allowed");
      }
    }
    if (total > MAX_TOTAL_JSON_BYTES) {
      errors.add("extraVars: " + total + " bytes of JSON in all, at most " + MAX_TOTAL_JSON_BYTES);
    }
    return errors;
  }

  /** Whether a variable name belongs to Ansible itself. */
  public static boolean isReserved(String name) {
    String n = name.toLowerCase(Locale.ROOT);
    return n.startsWith("ansible_") || n.equals("ansible") || RESERVED.contains(n);
  }

  private static int jsonSize(Object value) {
    try {
      return EventCodec.mapper().writeValueAsBytes(value).length;
    } catch (Exception e) {
      return Integer.MAX_VALUE;
    }
  }
}
