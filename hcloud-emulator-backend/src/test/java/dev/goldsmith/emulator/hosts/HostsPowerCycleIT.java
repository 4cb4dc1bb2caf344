package dev.goldsmith.emulator.hosts;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import dev.goldsmith.emulator.backend.ServerBackend.ServerSpec;

/**
 * Power cycles one server back to back (reset, reboot, power off then on) with nothing in between,
 * the way a fast idle machine runs them: every new nspawn for the same machine name must boot. The
 * order is the point: each test starts from the state the previous cycle left.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HostsPowerCycleIT {

  static final long ID = 301;
  static final int ROUNDS = Integer.getInteger("hosts.it.power-cycles", 5);
  static HostsBackend backend;
  static Ssh ssh;
  static Slot slot;

  @BeforeAll
  static void start() throws Exception {
    slot = Slot.acquire();
    backend =
        new HostsBackend(
            HostsConfig.fromProperties(
                Map.of("instance", String.valueOf(slot.instance), "reclaim", "false")));
    backend.start();
    ssh = new Ssh();
    backend.allocateAddresses(ID);
    backend.create(
        new ServerSpec(ID, "cycle-" + ID, 1, "debian-12", List.of(ssh.publicKey), null, Map.of()));
    backend.powerOn(ID);
  }

  @AfterAll
  static void teardown() throws Exception {
    try {
      backend.delete(ID);
    } finally {
      backend.stop();
      slot.close();
    }
    assertThat(backend.leftovers())
        .as("namespaces, veths, mounts, processes left behind")
        .isEmpty();
  }

  private static void assertServes(String what, int round) {
    assertThat(backend.isRunning(ID)).as("%s %d: running", what, round).isTrue();
    Cmd.Result r = ssh.run(backend.ipv4Address(ID), "cat /proc/sys/kernel/random/boot_id; true");
    assertThat(r.exit()).as("%s %d: ssh: %s", what, round, r.err()).isZero();
  }

  @Test
  @Order(1)
  void resetRightAfterBootStartsANewContainerEachTime() {
    for (int i = 0; i < ROUNDS; i++) {
      long oldInit = backend.initPid(ID);
      backend.reset(ID);
      long newInit = backend.initPid(ID);
      assertThat(newInit).as("reset %d: new PID 1", i).isPositive().isNotEqualTo(oldInit);
      assertServes("reset", i);
    }
  }

  @Test
  @Order(2)
  void resetWithoutWaitingForSshStillBoots() {
    // reset as soon as the previous power-on returned, without any ssh round trip in between
    for (int i = 0; i < ROUNDS; i++) {
      backend.reset(ID);
    }
    assertServes("reset burst", ROUNDS);
  }

  @Test
  @Order(3)
  void rebootAndPowerOffThenOnBootAgain() {
    for (int i = 0; i < ROUNDS; i++) {
      backend.reboot(ID);
      assertServes("reboot", i);
      backend.powerOff(ID);
      assertThat(backend.isRunning(ID)).isFalse();
      backend.powerOn(ID);
      assertServes("power on after off", i);
    }
  }

  @Test
  @Order(4)
  void powerOffLeavesNoProcessOfTheServer() {
    backend.powerOff(ID);
    assertThat(backend.isRunning(ID)).isFalse();
    assertThat(backend.leftovers())
        .as("no process or nspawn run dir of the powered-off server")
        .noneMatch(l -> l.contains("--machine=") || l.startsWith("nspawn-run "));
    backend.powerOn(ID);
    assertServes("final power on", 0);
  }
}
