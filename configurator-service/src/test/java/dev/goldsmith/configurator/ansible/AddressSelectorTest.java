package dev.goldsmith.configurator.ansible;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;

import org.junit.jupiter.api.Test;

import dev.goldsmith.events.NetworkMode;

class AddressSelectorTest {
  private static final Duration T = Duration.ofSeconds(1);

  @Test
  void ipv4ModeUsesIpv4EvenWhenIpv6Exists() {
    var s =
        new AddressSelector((a, p, t) -> true, 22, T)
            .select(NetworkMode.IPV4, "203.0.113.7", "2001:db8::1");
    assertThat(s.address()).isEqualTo(HostAddress.ipv4("203.0.113.7"));
  }

  @Test
  void ipv6ModeUsesIpv6AndFailsWithoutOne() {
    var selector = new AddressSelector((a, p, t) -> true, 22, T);
    assertThat(selector.select(NetworkMode.IPV6, "203.0.113.7", "2001:db8::/64").address())
        .isEqualTo(HostAddress.ipv6("2001:db8::1"));
    var none = selector.select(NetworkMode.IPV6, "203.0.113.7", null);
    assertThat(none.ok()).isFalse();
    assertThat(none.problem()).contains("no IPv6");
  }

  @Test
  void autoPrefersIpv6WhenItsSshPortAnswers() throws Exception {
    try (ServerSocket listening = new ServerSocket(0, 1, InetAddress.getByName("::1"))) {
      var selector =
          new AddressSelector(AddressSelector.TcpProbe.connect(), listening.getLocalPort(), T);
      assertThat(selector.select(NetworkMode.AUTO, "127.0.0.1", "::1").address().family())
          .isEqualTo(HostAddress.Family.IPV6);
    }
  }

  @Test
  void autoFallsBackToIpv4WhenIpv6DoesNotAnswer() throws Exception {
    int closedPort;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("::1"))) {
      closedPort = s.getLocalPort();
    }
    var selector = new AddressSelector(AddressSelector.TcpProbe.connect(), closedPort, T);
    assertThat(selector.select(NetworkMode.AUTO, "127.0.0.1", "::1").address())
        .isEqualTo(HostAddress.ipv4("127.0.0.1"));
  }

  @Test
  void malformedAddressIsAProblemNotAnException() {
    var s =
        new AddressSelector((a, p, t) -> true, 22, T).select(NetworkMode.IPV4, "not-an-ip", null);
    assertThat(s.ok()).isFalse();
    assertThat(s.problem()).contains("not an IPv4 address");
  }
}
