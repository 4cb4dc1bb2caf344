package dev.goldsmith.emulator.hosts;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A fault injected into servers through the control API.
 *
 * <p>Shape (JSON): {@code {"type": "ipv4_drop" | "ipv6_drop" | "sshd_stopped" | "slow_boot",
 * "server_id": 12}} or {@code {"type": …, "label_selector": "build=42,role=test"}}; {@code
 * slow_boot} takes {@code "seconds"} (default 30). A rule with {@code server_id} applies to that
 * server at once; a rule with {@code label_selector} applies to servers created later whose labels
 * match.
 *
 * @param id rule id, {@code f<n>}
 * @param type what breaks
 * @param serverId the server it is aimed at, or null
 * @param labelSelector the selector for future servers, or null
 * @param seconds slow-boot delay of sshd
 */
record FaultRule(String id, String type, Long serverId, String labelSelector, int seconds) {

  static final List<String> TYPES = List.of("ipv4_drop", "ipv6_drop", "sshd_stopped", "slow_boot");

  static FaultRule fromMap(String id, Map<String, Object> m) {
    Object type = m.get("type");
    if (type == null || !TYPES.contains(String.valueOf(type))) {
      throw new IllegalArgumentException("fault type must be one of " + TYPES + ", got " + type);
    }
    Object sid = m.get("server_id");
    Object sel = m.get("label_selector");
    if ((sid == null) == (sel == null)) {
      throw new IllegalArgumentException(
          "a fault needs exactly one of server_id or label_selector");
    }
    Long serverId = null;
    if (sid != null) {
      try {
        serverId = Long.parseLong(String.valueOf(sid));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("server_id must be an integer, got " + sid);
      }
    }
    if (sel != null) {
      LabelSelector.parse(String.valueOf(sel));
    }
    int seconds = 30;
    if (m.get("seconds") != null) {
      seconds = Integer.parseInt(String.valueOf(m.get("seconds")));
      if (seconds < 1 || seconds > 3600) {
        throw new IllegalArgumentException("seconds must be 1..3600");
      }
    }
    return new FaultRule(
        id, String.valueOf(type), serverId, sel == null ? null : String.valueOf(sel), seconds);
  }

  Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", id);
    m.put("type", type);
    if (serverId != null) {
      m.put("server_id", serverId);
    }
    if (labelSelector != null) {
      m.put("label_selector", labelSelector);
    }
    if (type.equals("slow_boot")) {
      m.put("seconds", seconds);
    }
    return m;
  }

  boolean isNetwork() {
    return type.equals("ipv4_drop") || type.equals("ipv6_drop");
  }

  /** nftables table name of a network rule (inside the server's netns). */
  String nftTable() {
    return "gsfault_" + id;
  }

  String nftScript() {
    String fam = type.equals("ipv4_drop") ? "ipv4" : "ipv6";
    return "table inet "
        + nftTable()
        + " {\n"
        + "  chain in { type filter hook input priority -300; policy accept; iifname \"eth0\" meta nfproto "
        + fam
        + " drop; }\n"
        + "  chain out { type filter hook output priority -300; policy accept; oifname \"eth0\" meta nfproto "
        + fam
        + " drop; }\n"
        + "}\n";
  }

  /**
   * Label selectors: {@code k=v}, {@code k==v}, {@code k!=v}, {@code k}, {@code !k}, comma-joined.
   */
  static final class LabelSelector {
    private LabelSelector() {}

    static List<String[]> parse(String sel) {
      List<String[]> terms = new java.util.ArrayList<>();
      for (String raw : sel.split(",")) {
        String t = raw.trim();
        if (t.isEmpty()) {
          throw new IllegalArgumentException("empty term in label selector " + sel);
        }
        if (t.contains("!=")) {
          terms.add(
              new String[] {
                "!=",
                t.substring(0, t.indexOf("!=")).trim(),
                t.substring(t.indexOf("!=") + 2).trim()
              });
        } else if (t.contains("==")) {
          terms.add(
              new String[] {
                "=", t.substring(0, t.indexOf("==")).trim(), t.substring(t.indexOf("==") + 2).trim()
              });
        } else if (t.contains("=")) {
          terms.add(
              new String[] {
                "=", t.substring(0, t.indexOf('=')).trim(), t.substring(t.indexOf('=') + 1).trim()
              });
        } else if (t.startsWith("!")) {
          terms.add(new String[] {"!", t.substring(1).trim(), null});
        } else {
          terms.add(new String[] {"has", t, null});
        }
      }
      return terms;
    }

    static boolean matches(String sel, Map<String, String> labels) {
      Map<String, String> l = labels == null ? Map.of() : labels;
      for (String[] t : parse(sel)) {
        boolean ok =
            switch (t[0]) {
              case "=" -> t[2].equals(l.get(t[1]));
              case "!=" -> !t[2].equals(l.get(t[1]));
              case "!" -> !l.containsKey(t[1]);
              default -> l.containsKey(t[1]);
            };
        if (!ok) {
          return false;
        }
      }
      return true;
    }
  }
}
