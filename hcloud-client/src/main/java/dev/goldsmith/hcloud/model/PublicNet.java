package dev.goldsmith.hcloud.model;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Optional;

/**
 * The public network of a server.
 *
 * @param ipv4 null when IPv4 is disabled
 * @param ipv6 null when IPv6 is disabled
 */
public record PublicNet(Ipv4 ipv4, Ipv6 ipv6, List<Long> floatingIps, List<FirewallRef> firewalls) {

  public PublicNet {
    floatingIps = floatingIps == null ? List.of() : List.copyOf(floatingIps);
    firewalls = firewalls == null ? List.of() : List.copyOf(firewalls);
  }

  /**
   * The public IPv4 address.
   *
   * @param id id of the Primary IP, nullable
   * @param dnsPtr reverse DNS name
   */
  public record Ipv4(Long id, String ip, boolean blocked, String dnsPtr) {}

  /**
   * The public IPv6 network.
   *
   * @param id id of the Primary IP, nullable
   * @param ip the /64 network in CIDR form, e.g. {@code 2001:db8:4f8:c17::/64}
   * @param dnsPtr reverse DNS entries, nullable
   */
  public record Ipv6(Long id, String ip, boolean blocked, List<DnsPtr> dnsPtr) {

    /** The network in CIDR form, as the API sends it. */
    public String network() {
      return ip;
    }

    /**
     * The host address {@code <network>::1} that servers use, in canonical compressed form (RFC
     * 5952), e.g. {@code 2001:db8:4f8:c17::1} for {@code 2001:db8:4f8:c17::/64}.
     */
    public String hostAddress() {
      return hostAddressOf(ip);
    }

    /** Same as {@link #hostAddress()}, for any network in CIDR form (or a bare address). */
    public static String hostAddressOf(String cidr) {
      if (cidr == null || cidr.isBlank()) {
        throw new IllegalArgumentException("no IPv6 network");
      }
      int slash = cidr.indexOf('/');
      String prefix = slash < 0 ? cidr : cidr.substring(0, slash);
      int bits = slash < 0 ? 64 : Integer.parseInt(cidr.substring(slash + 1).trim());
      if (!prefix.contains(":") || bits < 0 || bits > 127) {
        throw new IllegalArgumentException("not an IPv6 network: " + cidr);
      }
      byte[] addr;
      try {
        // A literal containing ':' is parsed without any name lookup.
        addr = InetAddress.getByName(prefix).getAddress();
      } catch (UnknownHostException e) {
        throw new IllegalArgumentException("not an IPv6 network: " + cidr, e);
      }
      if (addr.length != 16) {
        throw new IllegalArgumentException("not an IPv6 network: " + cidr);
      }
      for (int i = 0; i < 16; i++) {
        int keep = Math.max(0, Math.min(8, bits - i * 8));
        addr[i] = (byte) (addr[i] & (0xff << (8 - keep)));
      }
      addr[15] |= 1;
      return canonical(addr);
    }

    /**
     * RFC 5952 text of a 16-byte IPv6 address: lower case, the longest run of two or more zero
     * groups written as {@code ::}.
     */
    public static String canonical(byte[] addr) {
      int[] groups = new int[8];
      for (int i = 0; i < 8; i++) {
        groups[i] = ((addr[2 * i] & 0xff) << 8) | (addr[2 * i + 1] & 0xff);
      }
      int bestStart = -1;
      int bestLen = 0;
      for (int i = 0; i < 8; ) {
        if (groups[i] != 0) {
          i++;
          continue;
        }
        int j = i;
        while (j < 8 && groups[j] == 0) {
          j++;
        }
        if (j - i > bestLen) {
          bestStart = i;
          bestLen = j - i;
        }
        i = j;
      }
      if (bestLen < 2) {
        bestStart = -1;
      }
      StringBuilder out = new StringBuilder();
      for (int i = 0; i < 8; i++) {
        if (i == bestStart) {
          out.append("::");
          i += bestLen - 1;
          continue;
        }
        if (out.length() > 0 && out.charAt(out.length() - 1) != ':') {
          out.append(':');
        }
        out.append(Integer.toHexString(groups[i]));
      }
      return out.toString();
    }
  }

  /** One reverse DNS entry of an IPv6 address. */
  public record DnsPtr(String ip, String dnsPtr) {}

  /** A firewall applied to the server. */
  public record FirewallRef(long id, String status) {}

  /** The public IPv4 address, if the server has one. */
  public Optional<String> ipv4Address() {
    return Optional.ofNullable(ipv4).map(Ipv4::ip);
  }

  /** The IPv6 /64 network in CIDR form, if the server has one. */
  public Optional<String> ipv6Network() {
    return Optional.ofNullable(ipv6).map(Ipv6::ip);
  }

  /** The {@code ::1} host address of the server's IPv6 network, if it has one. */
  public Optional<String> ipv6HostAddress() {
    return Optional.ofNullable(ipv6).map(Ipv6::hostAddress);
  }
}
