package dev.goldsmith.configurator.ansible;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The pinned known_hosts line as OpenSSH looks hosts up in it ({@code ssh-keygen -F}). */
class KnownHostsTest {
  private static final String KEY =
      "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIDbjAa9kqxzfxropLPkFPAo0nzm0sSk7KTtaKYR1fHFq";

  @TempDir Path dir;

  @Test
  void ipv4OnPort22IsTheBareAddress() throws Exception {
    Path file = dir.resolve("known_hosts");
    KnownHosts.write(file, List.of(HostAddress.ipv4("203.0.113.7")), 22, KEY);

    assertThat(Files.readString(file)).isEqualTo("203.0.113.7 " + KEY + "\n");
    assertThat(found(file, "203.0.113.7")).isTrue();
    assertThat(found(file, "203.0.113.8")).isFalse();
    assertThat(found(file, "[203.0.113.7]:2222")).isFalse();
  }

  @Test
  void ipv6OnPort22IsTheBareCanonicalLiteral() throws Exception {
    Path file = dir.resolve("known_hosts");
    KnownHosts.write(file, List.of(HostAddress.ipv6("2001:DB8:0:0::1")), 22, KEY);

    assertThat(Files.readString(file)).isEqualTo("2001:db8::1 " + KEY + "\n");
    assertThat(found(file, "2001:db8::1")).isTrue();
  }

  @Test
  void otherPortsUseTheBracketSyntaxForIpv6AndIpv4() throws Exception {
    Path file = dir.resolve("known_hosts");
    KnownHosts.write(
        file,
        List.of(HostAddress.ipv6("2001:db8::/64"), HostAddress.ipv4("203.0.113.7")),
        2222,
        KEY);

    assertThat(Files.readString(file))
        .isEqualTo("[2001:db8::1]:2222,[203.0.113.7]:2222 " + KEY + "\n");
    assertThat(found(file, "[2001:db8::1]:2222")).isTrue();
    assertThat(found(file, "[203.0.113.7]:2222")).isTrue();
    // the same host on port 22 is a different known_hosts entry: not pinned here
    assertThat(found(file, "2001:db8::1")).isFalse();
  }

  @Test
  void rewritingReplacesTheEarlierPin() throws Exception {
    Path file = dir.resolve("known_hosts");
    Files.writeString(file, "203.0.113.7 ssh-ed25519 AAAAstale\n");
    KnownHosts.write(file, List.of(HostAddress.ipv4("203.0.113.7")), 22, KEY);
    assertThat(Files.readAllLines(file)).containsExactly("203.0.113.7 " + KEY);
  }

  @Test
  void onlyABarePublicKeyIsWritten() {
    List<HostAddress> a = List.of(HostAddress.ipv4("203.0.113.7"));
    for (String bad :
        new String[] {
          null,
          "",
          KEY + " comment",
          KEY + "\n203.0.113.9 " + KEY,
          "@revoked * " + KEY,
          "ssh-ed25519"
        }) {
      assertThatThrownBy(() -> KnownHosts.line(a, 22, bad))
          .as(String.valueOf(bad))
          .isInstanceOf(IllegalArgumentException.class);
    }
    assertThatThrownBy(() -> KnownHosts.line(List.of(), 22, KEY))
        .hasMessageContaining("no address");
  }

  /** Whether {@code ssh-keygen -F host} finds {@code host} in {@code file}. */
  private static boolean found(Path file, String host) throws Exception {
    Process p =
        new ProcessBuilder("ssh-keygen", "-F", host, "-f", file.toString())
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    if (p.exitValue() == 0) {
      assertThat(out).contains(KEY);
      return true;
    }
    return false;
  }
}
