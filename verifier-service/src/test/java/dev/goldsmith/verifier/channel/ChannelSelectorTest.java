package dev.goldsmith.verifier.channel;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import dev.goldsmith.events.NetworkMode;
import dev.goldsmith.verifier.cloud.TestServer;

class ChannelSelectorTest {

  private static final TestServer SERVER =
      new TestServer(7, "t", "10.213.0.7", "fd00:213:0:7::1", "running");
  private static final ChannelSettings SETTINGS =
      new ChannelSettings(
          Duration.ofSeconds(30),
          Duration.ofSeconds(1),
          Duration.ofSeconds(1),
          Duration.ofSeconds(5));

  /** A network where the given hosts answer, from the given attempt on; time is simulated. */
  private static final class Net {
    final AtomicLong now = new AtomicLong();
    final List<String> tried = new ArrayList<>();
    final Set<String> up;
    final int upFromAttempt;

    Net(Set<String> up, int upFromAttempt) {
      this.up = up;
      this.upFromAttempt = upFromAttempt;
    }

    ChannelSelector selector() {
      return new ChannelSelector(
          (host, port, timeout) -> {
            tried.add(host);
            long attempt = tried.stream().filter(host::equals).count();
            return up.contains(host) && attempt >= upFromAttempt
                ? Optional.empty()
                : Optional.of("ConnectException: refused");
          },
          SETTINGS,
          d -> now.addAndGet(d.toNanos()),
          now::get);
    }
  }

  @Test
  void ipv4ModeUsesOnlyIpv4AndRetriesWhileTheServerBoots() throws Exception {
    Net net = new Net(Set.of("10.213.0.7", "fd00:213:0:7::1"), 3);
    Channel c = net.selector().select(SERVER, NetworkMode.IPV4, 22);
    assertThat(c.established()).isTrue();
    assertThat(c.family()).isEqualTo("ipv4");
    assertThat(c.detail()).contains("after 3 attempt(s)");
    assertThat(net.tried).containsOnly("10.213.0.7");
  }

  @Test
  void ipv6ModeFailsWhenIpv6IsDroppedEvenThoughIpv4Works() throws Exception {
    Net net = new Net(Set.of("10.213.0.7"), 1);
    Channel c = net.selector().select(SERVER, NetworkMode.IPV6, 22);
    assertThat(c.established()).isFalse();
    assertThat(c.detail()).contains("ipv6 [fd00:213:0:7::1]:22 unreachable").contains("refused");
    assertThat(net.tried).containsOnly("fd00:213:0:7::1").hasSize(31);
    assertThat(net.now.get()).isLessThanOrEqualTo(Duration.ofSeconds(30).toNanos());
  }

  @Test
  void autoModePrefersIpv6() throws Exception {
    Net net = new Net(Set.of("10.213.0.7", "fd00:213:0:7::1"), 1);
    Channel c = net.selector().select(SERVER, NetworkMode.AUTO, 22);
    assertThat(c.family()).isEqualTo("ipv6");
    assertThat(c.detail()).contains("used ipv6");
  }

  @Test
  void autoModeFallsBackToIpv4AfterTheGraceAndSaysSo() throws Exception {
    Net net = new Net(Set.of("10.213.0.7"), 1);
    Channel c = net.selector().select(SERVER, NetworkMode.AUTO, 22);
    assertThat(c.family()).isEqualTo("ipv4");
    assertThat(c.host()).isEqualTo("10.213.0.7");
    assertThat(c.detail()).contains("ipv6 [fd00:213:0:7::1]:22 unreachable").contains("used ipv4");
    assertThat(net.now.get())
        .isBetween(Duration.ofSeconds(5).toNanos(), Duration.ofSeconds(7).toNanos());
  }

  @Test
  void autoModeFailsWhenNeitherFamilyAnswers() throws Exception {
    Net net = new Net(Set.of(), 1);
    Channel c = net.selector().select(SERVER, NetworkMode.AUTO, 22);
    assertThat(c.established()).isFalse();
    assertThat(c.detail()).contains("neither family reachable");
  }

  @Test
  void aMissingAddressIsAChannelFailure() throws Exception {
    Net net = new Net(Set.of("10.213.0.7"), 1);
    Channel c =
        net.selector()
            .select(new TestServer(1, "t", "10.213.0.7", null, "running"), NetworkMode.IPV6, 22);
    assertThat(c.established()).isFalse();
    assertThat(c.detail()).isEqualTo("server has no ipv6 address");
    assertThat(net.tried).isEmpty();
  }
}
