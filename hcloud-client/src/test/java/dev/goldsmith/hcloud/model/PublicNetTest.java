package dev.goldsmith.hcloud.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;

class PublicNetTest {

  @Test
  void hostAddressIsTheFirstAddressOfTheNetworkInCanonicalForm() {
    assertThat(PublicNet.Ipv6.hostAddressOf("2001:db8:4f8:c17::/64"))
        .isEqualTo("2001:db8:4f8:c17::1");
    assertThat(PublicNet.Ipv6.hostAddressOf("2a01:4f8:1c1e:8d3a::/64"))
        .isEqualTo("2a01:4f8:1c1e:8d3a::1");
    assertThat(PublicNet.Ipv6.hostAddressOf("2001:0DB8:0000:0001::/64"))
        .isEqualTo("2001:db8:0:1::1");
    assertThat(PublicNet.Ipv6.hostAddressOf("fd00::/64")).isEqualTo("fd00::1");
  }

  @Test
  void hostBitsInTheNetworkAreCleared() {
    assertThat(PublicNet.Ipv6.hostAddressOf("2001:db8:1:2:ffff::5/64"))
        .isEqualTo("2001:db8:1:2::1");
  }

  @Test
  void helpersAreEmptyWhenAFamilyIsDisabled() {
    PublicNet v6only =
        new PublicNet(null, new PublicNet.Ipv6(1L, "2001:db8::/64", false, List.of()), null, null);
    assertThat(v6only.ipv4Address()).isEmpty();
    assertThat(v6only.ipv6Network()).contains("2001:db8::/64");
    assertThat(v6only.ipv6HostAddress()).contains("2001:db8::1");

    PublicNet v4only =
        new PublicNet(new PublicNet.Ipv4(2L, "203.0.113.7", false, "x"), null, null, null);
    assertThat(v4only.ipv6HostAddress()).isEmpty();
    assertThat(v4only.ipv4Address()).contains("203.0.113.7");
  }

  @Test
  void rejectsWhatIsNotIpv6() {
    assertThatThrownBy(() -> PublicNet.Ipv6.hostAddressOf("203.0.113.0/24"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> PublicNet.Ipv6.hostAddressOf(""))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void secretsAreHiddenFromToString() {
    CreateServerResult r =
        new CreateServerResult(null, null, List.of(), java.util.Optional.of("s3cr3t-pw"));
    assertThat(r.toString()).doesNotContain("s3cr3t-pw").contains("<redacted>");
    RebuildResult rb = new RebuildResult(null, java.util.Optional.of("s3cr3t-pw"));
    assertThat(rb.toString()).doesNotContain("s3cr3t-pw");
    CreateServerRequest req =
        CreateServerRequest.builder("n", "cx22", "debian-12").userData("password: hunter2").build();
    assertThat(req.toString()).doesNotContain("hunter2").contains("17 chars");
  }
}
