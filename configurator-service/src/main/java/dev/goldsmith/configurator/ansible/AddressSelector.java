package dev.goldsmith.configurator.ansible;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;

import dev.goldsmith.events.NetworkMode;

/**
 * Chooses the address Ansible connects to: IPv4 by default, IPv6 when the spec says so, and for
 * {@code auto} IPv6 when its sshd port answers a TCP connect, else IPv4.
 */
public final class AddressSelector {

  /** Whether something accepts TCP connections at an address and port. */
  @FunctionalInterface
  public interface TcpProbe {
    boolean reachable(HostAddress address, int port, Duration timeout);

    /** A real TCP connect. */
    static TcpProbe connect() {
      return (address, port, timeout) -> {
        try (Socket socket = new Socket()) {
          socket.connect(new InetSocketAddress(address.literal(), port), (int) timeout.toMillis());
          return true;
        } catch (IOException e) {
          return false;
        }
      };
    }
  }

  /** The chosen address, or why none could be chosen. */
  public record Selection(HostAddress address, String problem) {
    public boolean ok() {
      return address != null;
    }
  }

  private final TcpProbe probe;
  private final int port;
  private final Duration timeout;

  public AddressSelector(TcpProbe probe, int port, Duration timeout) {
    this.probe = probe;
    this.port = port;
    this.timeout = timeout;
  }

  /** Selects an address from the builder's IPv4 and IPv6 (either may be null or blank). */
  public Selection select(NetworkMode mode, String ipv4, String ipv6) {
    HostAddress v4;
    HostAddress v6;
    try {
      v4 = blank(ipv4) ? null : HostAddress.ipv4(ipv4);
      v6 = blank(ipv6) ? null : HostAddress.ipv6(ipv6);
    } catch (IllegalArgumentException e) {
      return new Selection(null, e.getMessage());
    }
    NetworkMode m = mode == null ? NetworkMode.IPV4 : mode;
    switch (m) {
      case IPV4:
        return v4 != null
            ? new Selection(v4, null)
            : new Selection(null, "network mode ipv4, but the builder has no IPv4 address");
      case IPV6:
        return v6 != null
            ? new Selection(v6, null)
            : new Selection(null, "network mode ipv6, but the builder has no IPv6 address");
      default:
        if (v6 != null && (v4 == null || probe.reachable(v6, port, timeout))) {
          return new Selection(v6, null);
        }
        if (v4 != null) {
          return new Selection(v4, null);
        }
        return new Selection(null, "network mode auto, but the builder has no address");
    }
  }

  private static boolean blank(String s) {
    return s == null || s.isBlank();
  }
}
