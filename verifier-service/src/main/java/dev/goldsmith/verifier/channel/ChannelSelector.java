package dev.goldsmith.verifier.channel;

import java.time.Duration;
import java.util.Optional;
import java.util.function.LongSupplier;

import dev.goldsmith.events.NetworkMode;
import dev.goldsmith.verifier.cloud.TestServer;

/**
 * Channel first: finds a TCP path to port 22 on the address family the spec asks for, with retries
 * and a deadline, before any check runs. An unreachable server is a channel failure, never an image
 * defect.
 *
 * <ul>
 *   <li>{@code ipv4}: the public IPv4 address only.
 *   <li>{@code ipv6}: the {@code ::1} host of the server's /64 only.
 *   <li>{@code auto}: IPv6 first. While the server boots, both families are tried in turn; once
 *       IPv4 answers, IPv6 gets {@code autoIpv6Grace} more, then IPv4 is used and the detail says
 *       IPv6 was unreachable.
 * </ul>
 */
public final class ChannelSelector {

  /** Sleeps between attempts; replaced in unit tests. */
  @FunctionalInterface
  public interface Sleeper {
    void sleep(Duration d) throws InterruptedException;
  }

  private final PortProbe probe;
  private final ChannelSettings settings;
  private final Sleeper sleeper;
  private final LongSupplier nanoClock;

  public ChannelSelector(PortProbe probe, ChannelSettings settings) {
    this(probe, settings, d -> Thread.sleep(d.toMillis()), System::nanoTime);
  }

  public ChannelSelector(
      PortProbe probe, ChannelSettings settings, Sleeper sleeper, LongSupplier nanoClock) {
    this.probe = probe;
    this.settings = settings;
    this.sleeper = sleeper;
    this.nanoClock = nanoClock;
  }

  public Channel select(TestServer server, NetworkMode mode, int port) throws InterruptedException {
    return switch (mode) {
      case IPV4 -> single("ipv4", server.ipv4(), port);
      case IPV6 -> single("ipv6", server.ipv6Host(), port);
      case AUTO -> auto(server, port);
    };
  }

  private Channel single(String family, String host, int port) throws InterruptedException {
    if (host == null) {
      return new Channel(null, null, "server has no " + family + " address");
    }
    long start = nanoClock.getAsLong();
    long deadline = start + settings.deadline().toNanos();
    int attempts = 0;
    String last = "not tried";
    while (true) {
      attempts++;
      Optional<String> err = probe.probe(host, port, settings.connectTimeout());
      if (err.isEmpty()) {
        return new Channel(
            family,
            host,
            family + " " + display(host, port) + " reachable after " + attempts + " attempt(s)");
      }
      last = err.get();
      if (nanoClock.getAsLong() + settings.interval().toNanos() > deadline) {
        break;
      }
      sleeper.sleep(settings.interval());
    }
    return new Channel(
        null,
        null,
        family
            + " "
            + display(host, port)
            + " unreachable: "
            + attempts
            + " attempt(s) in "
            + settings.deadline().toSeconds()
            + " s, last: "
            + last);
  }

  private Channel auto(TestServer server, int port) throws InterruptedException {
    if (server.ipv6Host() == null) {
      Channel v4 = single("ipv4", server.ipv4(), port);
      return new Channel(v4.family(), v4.host(), "auto: no ipv6 address; " + v4.detail());
    }
    if (server.ipv4() == null) {
      Channel v6 = single("ipv6", server.ipv6Host(), port);
      return new Channel(v6.family(), v6.host(), "auto: no ipv4 address; " + v6.detail());
    }
    long start = nanoClock.getAsLong();
    long deadline = start + settings.deadline().toNanos();
    Long ipv4SeenAt = null;
    int attempts = 0;
    String lastV6 = "not tried";
    String lastV4 = "not tried";
    while (true) {
      attempts++;
      Optional<String> v6 = probe.probe(server.ipv6Host(), port, settings.connectTimeout());
      if (v6.isEmpty()) {
        return new Channel(
            "ipv6",
            server.ipv6Host(),
            "auto: ipv6 "
                + display(server.ipv6Host(), port)
                + " reachable after "
                + attempts
                + " attempt(s); used ipv6");
      }
      lastV6 = v6.get();
      long now = nanoClock.getAsLong();
      if (ipv4SeenAt == null) {
        Optional<String> v4 = probe.probe(server.ipv4(), port, settings.connectTimeout());
        if (v4.isEmpty()) {
          ipv4SeenAt = now;
        } else {
          lastV4 = v4.get();
        }
      }
      now = nanoClock.getAsLong();
      boolean graceOver =
          ipv4SeenAt != null && now - ipv4SeenAt >= settings.autoIpv6Grace().toNanos();
      if (graceOver || now + settings.interval().toNanos() > deadline) {
        break;
      }
      sleeper.sleep(settings.interval());
    }
    if (ipv4SeenAt != null) {
      // Confirm IPv4 still answers before choosing it.
      Optional<String> v4 = probe.probe(server.ipv4(), port, settings.connectTimeout());
      if (v4.isEmpty()) {
        return new Channel(
            "ipv4",
            server.ipv4(),
            "auto: ipv6 "
                + display(server.ipv6Host(), port)
                + " unreachable ("
                + lastV6
                + "); fell back to ipv4 "
                + display(server.ipv4(), port)
                + "; used ipv4");
      }
      lastV4 = v4.get();
    }
    return new Channel(
        null,
        null,
        "auto: neither family reachable in "
            + settings.deadline().toSeconds()
            + " s; ipv6 "
            + display(server.ipv6Host(), port)
            + ": "
            + lastV6
            + "; ipv4 "
            + display(server.ipv4(), port)
            + ": "
            + lastV4);
  }

  static String display(String host, int port) {
    return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
  }
}
