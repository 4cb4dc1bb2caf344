package dev.goldsmith.configurator.ansible;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Objects;
import java.util.regex.Pattern;

import dev.goldsmith.hcloud.model.PublicNet;

/**
 * A builder's address as an IP literal. IPv6 literals are kept bare (no brackets, no prefix length,
 * no zone): that is what Ansible's {@code ansible_host} and OpenSSH's host argument expect; Ansible
 * adds brackets itself where scp/sftp need them.
 */
public record HostAddress(Family family, String literal) {
  private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
  private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]+");

  /** The address family, as it appears in events and logs. */
  public enum Family {
    IPV4,
    IPV6
  }

  public HostAddress {
    Objects.requireNonNull(family, "family");
    Objects.requireNonNull(literal, "literal");
  }

  /** An IPv4 literal such as {@code 203.0.113.7}; throws IllegalArgumentException otherwise. */
  public static HostAddress ipv4(String text) {
    String s = text == null ? "" : text.trim();
    if (!IPV4.matcher(s).matches() || !(parseLiteral(s) instanceof Inet4Address a)) {
      throw new IllegalArgumentException("not an IPv4 address: '" + text + "'");
    }
    return new HostAddress(Family.IPV4, a.getHostAddress());
  }

  /**
   * An IPv6 address from what events carry: a bare literal ({@code 2001:db8::1}), a bracketed one
   * ({@code [2001:db8::1]}) or a network ({@code 2001:db8::/64}, meaning its {@code ::1}, the
   * address Hetzner gives the server). Returned in canonical compressed form.
   */
  public static HostAddress ipv6(String text) {
    String s = text == null ? "" : text.trim();
    if (s.startsWith("[") && s.endsWith("]")) {
      s = s.substring(1, s.length() - 1);
    }
    boolean network = false;
    int slash = s.indexOf('/');
    if (slash >= 0) {
      network = true;
      s = s.substring(0, slash);
    }
    if (s.isEmpty() || !s.contains(":") || !IPV6.matcher(s).matches()) {
      throw new IllegalArgumentException("not an IPv6 address: '" + text + "'");
    }
    if (!(parseLiteral(s) instanceof Inet6Address a)) {
      throw new IllegalArgumentException("not an IPv6 address: '" + text + "'");
    }
    byte[] bytes = a.getAddress();
    if (network && isAllZeroHost(bytes)) {
      bytes[15] = 1;
    }
    return new HostAddress(Family.IPV6, compress(bytes));
  }

  /** For a URL or ssh's {@code host:port} forms: IPv6 in brackets. */
  public String bracketed() {
    return family == Family.IPV6 ? "[" + literal + "]" : literal;
  }

  private static boolean isAllZeroHost(byte[] bytes) {
    for (int i = 8; i < 16; i++) {
      if (bytes[i] != 0) {
        return false;
      }
    }
    return true;
  }

  /** RFC 5952 form, as hcloud-client writes it. */
  static String compress(byte[] bytes) {
    return PublicNet.Ipv6.canonical(bytes);
  }

  private static InetAddress parseLiteral(String s) {
    try {
      // Only called with strings made of digits, hex letters, dots and colons: a literal, so no
      // name lookup happens.
      return InetAddress.getByName(s);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("not an IP address: '" + s + "'", e);
    }
  }
}
