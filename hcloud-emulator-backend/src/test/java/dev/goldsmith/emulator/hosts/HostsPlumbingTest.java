package dev.goldsmith.emulator.hosts;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.ObjectMapper;

/** The parts of the hosts backend that build commands and read the machine, without running. */
class HostsPlumbingTest {
  private static final HostsConfig CFG = HostsConfig.forInstance(3);

  private static ServerRecord record(long id, String name) {
    return new ServerRecord(
        id, name, 10, List.of("/l"), BaseImage.NAME, List.of(), null, Map.of(), List.of(), 0);
  }

  @Test
  void namesOfTheInstanceCarryTheServerId() {
    assertThat(CFG.machine(12)).isEqualTo("gs3-12");
    assertThat(CFG.serverDir(12))
        .isEqualTo(Path.of("/var/lib/goldsmith-emulator/hosts-3/servers/12"));
    assertThat(CFG.ownedId("gs3-12")).isEqualTo(12);
    assertThat(CFG.ownedId("gs3-")).isEqualTo(-1);
    assertThat(CFG.ownedId("gs4-12")).isEqualTo(-1);
    assertThat(CFG.ownedId("gs3-12a")).isEqualTo(-1);
    assertThat(CFG.ownedId(null)).isEqualTo(-1);
  }

  @Test
  void networkScriptsWireTheServersAddressesIntoTheBridge() {
    assertThat(HostNetwork.hostScript(CFG, 12, 10))
        .isEqualTo(
            "link add gs3-12 type veth peer name eth0 netns gs3-12\n"
                + "link set gs3-12 master gsbr3\n"
                + "link set gs3-12 up\n"
                + "route replace fd00:213:3:a::/64 via fd00:213:3::b dev gsbr3\n");
    assertThat(HostNetwork.insideScript(CFG, 10))
        .contains("addr add 10.213.3.11/24 dev eth0")
        .contains("addr add fd00:213:3:a::1/64 dev eth0 nodad")
        .contains("route add default via 10.213.3.1")
        .contains("route add ::/0 via fd00:213:3::1");
  }

  @Test
  void nspawnBootsTheMergedDiskInTheServersNamespace() {
    List<String> cmd = NspawnMachine.command(CFG, record(12, "web-1"), null);
    assertThat(cmd)
        .startsWith("setsid", "systemd-nspawn")
        .contains(
            "--boot",
            "--machine=gs3-12",
            "--directory=/var/lib/goldsmith-emulator/hosts-3/servers/12/merged",
            "--network-namespace-path=/run/netns/gs3-12",
            "--hostname=web-1")
        .noneMatch(a -> a.startsWith("--bind-ro"));
    assertThat(NspawnMachine.command(CFG, record(12, "bad name!"), Path.of("/d/slow.conf")))
        .noneMatch(a -> a.startsWith("--hostname"))
        .contains(
            "--bind-ro=/d/slow.conf:/run/systemd/system/ssh.service.d/goldsmith-slow-boot.conf");
  }

  @Test
  void theConsoleTailShowsOnlyTheLastPowerOn(@TempDir Path tmp) throws Exception {
    Path log = tmp.resolve("console.log");
    assertThat(NspawnMachine.consoleTail(log)).isEqualTo("(no console log)");
    Files.writeString(
        log,
        NspawnMachine.BOOT_MARK
            + "1\nold boot\n"
            + NspawnMachine.BOOT_MARK
            + "2\n"
            + "a\nb\nc\nd\ne\nf\ng\nh\ni\n");
    assertThat(NspawnMachine.consoleTail(log)).isEqualTo("b | c | d | e | f | g | h | i");
    Files.writeString(log, "old\n" + NspawnMachine.BOOT_MARK + "3\n");
    assertThat(NspawnMachine.consoleTail(log)).isEqualTo("(no console output of this power-on)");
  }

  @Test
  void onlyNspawnsOfThisInstanceAreItsMachines() {
    Reconciler r = new Reconciler(CFG, null, null, null, null);
    assertThat(r.machineId(List.of("/usr/bin/systemd-nspawn", "--boot", "--machine=gs3-7")))
        .isEqualTo(7);
    assertThat(r.machineId(List.of("/usr/bin/systemd-nspawn", "--machine=gs2-7"))).isEqualTo(-1);
    assertThat(r.machineId(List.of("bash", "--machine=gs3-7"))).isEqualTo(-1);
    assertThat(r.machineId(List.of())).isEqualTo(-1);
  }

  @Test
  void addressesInUseThatOverlapTheInstanceRangesAreNamed() throws Exception {
    String ipJson =
        "[{\"ifname\":\"gsbr3\",\"addr_info\":[{\"family\":\"inet\",\"local\":\"10.213.3.1\","
            + "\"prefixlen\":24}]},"
            + "{\"ifname\":\"eth0\",\"addr_info\":[{\"family\":\"inet\",\"local\":\"10.213.0.5\","
            + "\"prefixlen\":16},{\"family\":\"inet6\",\"local\":\"fd00::2\",\"prefixlen\":64}]},"
            + "{\"ifname\":\"wg0\",\"addr_info\":[{\"family\":\"inet6\",\"local\":\"fd00::9\","
            + "\"prefixlen\":8}]}]";
    assertThat(HostPrerequisites.clashes(CFG, new ObjectMapper().readTree(ipJson)))
        .containsExactly("eth0 10.213.0.5/16", "wg0 fd00::9/8");
  }

  @Test
  void missingToolsNameTheirPackages() {
    assertThat(HostPrerequisites.missingTools(Map.of("sh", "dash"))).isEmpty();
    assertThat(
            HostPrerequisites.missingTools(
                Map.of("no-such-tool-gs", "gs-pkg-b", "no-such-tool-gs2", "gs-pkg-a")))
        .hasValue(
            "missing tools: no-such-tool-gs (package gs-pkg-b), no-such-tool-gs2 (package"
                + " gs-pkg-a); install with: apt-get install --no-install-recommends gs-pkg-a"
                + " gs-pkg-b");
  }

  @Test
  void theHostsFileNamesTheServer() {
    assertThat(Personaliser.hosts("web-1")).contains("127.0.1.1\tweb-1\n");
  }
}
