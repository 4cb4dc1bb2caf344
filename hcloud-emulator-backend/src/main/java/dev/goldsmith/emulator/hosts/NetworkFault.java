package dev.goldsmith.emulator.hosts;

import dev.goldsmith.emulator.backend.ServerFaultKind;
import dev.goldsmith.emulator.backend.ServerFaultRule;

/**
 * The nftables side of the network fault kinds ({@code ipv4_drop}, {@code ipv6_drop}): one table
 * per rule in the server's network namespace that drops one address family on {@code eth0}.
 */
final class NetworkFault {
  private NetworkFault() {}

  static boolean isNetwork(ServerFaultRule f) {
    return f.kind() == ServerFaultKind.IPV4_DROP || f.kind() == ServerFaultKind.IPV6_DROP;
  }

  /** nftables table name of a network rule (inside the server's netns). */
  static String nftTable(ServerFaultRule f) {
    return "gsfault_" + f.id();
  }

  static String nftScript(ServerFaultRule f) {
    String fam = f.kind() == ServerFaultKind.IPV4_DROP ? "ipv4" : "ipv6";
    return "table inet "
        + nftTable(f)
        + " {\n"
        + "  chain in { type filter hook input priority -300; policy accept; iifname \"eth0\" meta nfproto "
        + fam
        + " drop; }\n"
        + "  chain out { type filter hook output priority -300; policy accept; oifname \"eth0\" meta nfproto "
        + fam
        + " drop; }\n"
        + "}\n";
  }
}
