package dev.goldsmith.emulator.hosts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import dev.goldsmith.emulator.backend.ServerBackend.BackendException;
import dev.goldsmith.emulator.backend.ServerBackend.ServerSpec;

/**
 * Crash recovery: a backend that disappears without stopping leaves running servers and maybe
 * strays; the next start on the same instance reclaims the servers it has records for, removes its
 * own prefix-named strays and touches nothing else. Uses instance 5.
 */
class HostsRecoveryIT {

  static Slot slot;
  static Map<String, String> props;
  static String prefix;
  static HostsBackend current;

  @org.junit.jupiter.api.BeforeAll
  static void takeSlot() throws Exception {
    slot = Slot.acquire();
    props = Map.of("instance", String.valueOf(slot.instance));
    prefix = "gs" + slot.instance;
  }

  @AfterAll
  static void cleanUp() {
    Cmd.run(Duration.ofSeconds(10), "ip", "netns", "del", prefix + "-keep");
    Cmd.run(Duration.ofSeconds(10), "ip", "link", "del", prefix + "x");
    if (current != null) {
      for (long id : List.of(501L, 502L)) {
        try {
          current.delete(id);
        } catch (BackendException e) {
          // not created
        }
      }
      current.stop();
      assertThat(current.leftovers()).isEmpty();
    }
    slot.close();
  }

  @Test
  void restartReclaimsItsServersAndRemovesOnlyItsOwnStrays() throws Exception {
    Ssh ssh = new Ssh();
    // the first run starts clean (reclaim=false removes whatever an earlier run left on this slot)
    HostsBackend first =
        new HostsBackend(
            HostsConfig.fromProperties(
                Map.of("instance", props.get("instance"), "reclaim", "false")));
    current = first;
    first.start();
    assertThatThrownBy(() -> new HostsBackend(HostsConfig.fromProperties(props)).start())
        .isInstanceOf(BackendException.class)
        .hasMessageContaining("already used by another emulator");

    for (long id : List.of(501L, 502L)) {
      first.allocateAddresses(id);
      first.create(
          new ServerSpec(id, "rec-" + id, 1, "debian-12", List.of(ssh.publicKey), null, Map.of()));
    }
    first.powerOn(501);
    long init = first.initPid(501);
    assertThat(ssh.run(first.ipv4Address(501), "echo alive > /root/alive").exit()).isZero();

    // strays of this instance (prefix + digits) and look-alikes that are not ours
    Cmd.run(Duration.ofSeconds(10), "ip", "netns", "add", prefix + "-999").check();
    Cmd.run(Duration.ofSeconds(10), "ip", "link", "add", prefix + "-998", "type", "bridge").check();
    Cmd.run(Duration.ofSeconds(10), "ip", "netns", "add", prefix + "-keep").check();
    Cmd.run(Duration.ofSeconds(10), "ip", "link", "add", prefix + "x", "type", "bridge").check();
    Path strayMount = first.config().stateDir().resolve("servers/777/merged");
    Files.createDirectories(strayMount);
    Cmd.run(Duration.ofSeconds(10), "mount", "-t", "tmpfs", prefix + "-777", strayMount.toString())
        .check();

    first.abandonForTest(); // the emulator "crashes": nothing is stopped or removed

    HostsBackend second = new HostsBackend(HostsConfig.fromProperties(props));
    current = second;
    second.start();

    assertThat(second.isRunning(501)).isTrue();
    assertThat(second.initPid(501)).as("the same server, not a reboot").isEqualTo(init);
    assertThat(ssh.run(second.ipv6Address(501), "cat /root/alive").out().strip())
        .isEqualTo("alive");
    assertThat(second.isRunning(502)).isFalse();
    second.powerOn(502);
    assertThat(ssh.run(second.ipv4Address(502), "hostname").out().strip()).isEqualTo("rec-502");

    assertThat(Files.exists(Path.of("/run/netns/" + prefix + "-999"))).isFalse();
    assertThat(Files.exists(Path.of("/sys/class/net/" + prefix + "-998"))).isFalse();
    assertThat(OverlayLayers.mountPoints()).doesNotContain(strayMount.toString());
    assertThat(Files.exists(Path.of("/run/netns/" + prefix + "-keep")))
        .as("not ours: untouched")
        .isTrue();
    assertThat(Files.exists(Path.of("/sys/class/net/" + prefix + "x")))
        .as("not ours: untouched")
        .isTrue();

    // an image of this run survives a reclaiming restart and is gone after a clean start
    second.requestShutdown(502);
    org.awaitility.Awaitility.await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> !second.isRunning(502));
    second.captureImage(502, 5001);
    Path layer = second.config().stateDir().resolve("layers/snap-5001");
    second.stop();
    HostsBackend third = new HostsBackend(HostsConfig.fromProperties(props));
    current = third;
    third.start();
    assertThat(Files.isDirectory(layer)).as("reclaimed with its image").isTrue();
    third.stop();
    HostsBackend clean =
        new HostsBackend(
            HostsConfig.fromProperties(
                Map.of("instance", props.get("instance"), "reclaim", "false")));
    current = clean;
    clean.start();
    assertThat(clean.isRunning(501)).isFalse();
    assertThat(Files.exists(layer)).as("a clean start forgets the earlier run's images").isFalse();
    assertThat(clean.config().stateDir().resolve("servers/501")).doesNotExist();
  }
}
