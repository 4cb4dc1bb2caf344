package dev.goldsmith.emulator.hosts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.goldsmith.emulator.backend.InvalidRuleException;
import dev.goldsmith.emulator.backend.ServerBackend.BackendException;
import dev.goldsmith.emulator.backend.ServerFaultKind;
import dev.goldsmith.emulator.backend.ServerFaultRule;

/** The parts of the hosts backend that keep state on disk: lock, records, layers, fault rules. */
class HostsStateTest {

  private static HostsConfig config(Path stateDir) {
    return HostsConfig.fromProperties(Map.of("instance", "3", "state-dir", stateDir.toString()));
  }

  private static ServerRecord record(long id, List<String> lowers, List<String> faultIds) {
    return new ServerRecord(
        id, "s" + id, 1, lowers, BaseImage.NAME, List.of(), null, Map.of(), faultIds, 0);
  }

  @Test
  void oneInstanceLockAtATime(@TempDir Path tmp) {
    HostsConfig cfg = config(tmp);
    InstanceLock first = InstanceLock.acquire(cfg);
    assertThatThrownBy(() -> InstanceLock.acquire(cfg))
        .isInstanceOf(BackendException.class)
        .hasMessageContaining("instance 3 is already used by another emulator")
        .hasMessageContaining("emulator.hosts.instance");
    first.release();
    first.release();
    InstanceLock.acquire(cfg).release();
  }

  @Test
  void recordsAndImagesSurviveAReload(@TempDir Path tmp) throws Exception {
    HostsConfig cfg = config(tmp);
    StateStore store = new StateStore(cfg);
    store.prepareDirs();
    store.save(record(7, List.of("/l/sys"), List.of("f1")));
    store.saveImage(new ServerRecord.Image(40, List.of("/l/snap-40", "/l/sys"), 123));
    assertThat(cfg.serverDir(7).resolve("server.json")).isRegularFile();
    StateStore again = new StateStore(cfg);
    again.load();
    assertThat(again.require(7)).isEqualTo(record(7, List.of("/l/sys"), List.of("f1")));
    assertThat(again.image(40).size()).isEqualTo(123);
    assertThat(again.deleteImage(40)).isTrue();
    assertThat(again.deleteImage(40)).isFalse();
    assertThatThrownBy(() -> again.require(8)).hasMessage("hosts backend has no server 8");
  }

  @Test
  void faultRulesOfOlderVersionsAreRead(@TempDir Path tmp) throws Exception {
    HostsConfig cfg = config(tmp);
    StateStore store = new StateStore(cfg);
    store.prepareDirs();
    Files.writeString(
        tmp.resolve("faults.json"),
        "[{\"id\":\"f1\",\"type\":\"ipv4_drop\",\"serverId\":5,\"labelSelector\":null,"
            + "\"seconds\":30},{\"id\":\"f2\",\"type\":\"slow_boot\",\"serverId\":null,"
            + "\"labelSelector\":\"slow\",\"seconds\":8}]");
    List<ServerFaultRule> rules = store.loadFaults(HostFaults.KINDS);
    assertThat(rules)
        .extracting(ServerFaultRule::id, ServerFaultRule::kind, ServerFaultRule::seconds)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("f1", ServerFaultKind.IPV4_DROP, null),
            org.assertj.core.groups.Tuple.tuple("f2", ServerFaultKind.SLOW_BOOT, 8));
    store.saveFaults(rules);
    assertThat(store.loadFaults(HostFaults.KINDS)).isEqualTo(rules);
    assertThat(Files.readString(tmp.resolve("faults.json"))).contains("\"kind\" : \"ipv4_drop\"");
  }

  @Test
  void unusedLayersAreRemovedAndUsedOnesKept(@TempDir Path tmp) throws Exception {
    HostsConfig cfg = config(tmp);
    StateStore store = new StateStore(cfg);
    store.prepareDirs();
    Path layers = tmp.resolve("layers");
    Path byServer = Files.createDirectories(layers.resolve("snap-1"));
    Path byImage = Files.createDirectories(layers.resolve("snap-2"));
    Path unused = Files.createDirectories(layers.resolve("snap-3"));
    Files.writeString(unused.resolve("file"), "x");
    store.save(record(1, List.of(byServer.toString()), List.of()));
    store.saveImage(new ServerRecord.Image(2, List.of(byImage.toString()), 1));
    new OverlayLayers(cfg, store).gc();
    assertThat(byServer).isDirectory();
    assertThat(byImage).isDirectory();
    assertThat(unused).doesNotExist();
  }

  @Test
  void aCapturedImageLendsItsChainAndOnlyTheBaseSystemImageExists(@TempDir Path tmp)
      throws Exception {
    HostsConfig cfg = config(tmp);
    StateStore store = new StateStore(cfg);
    store.prepareDirs();
    store.saveImage(new ServerRecord.Image(9, List.of("/l/snap-9", "/l/sys"), 1));
    OverlayLayers layers = new OverlayLayers(cfg, store);
    assertThat(layers.lowersOf(9, BaseImage.NAME)).containsExactly("/l/snap-9", "/l/sys");
    assertThatThrownBy(() -> layers.lowersOf(1, "ubuntu-24.04"))
        .isInstanceOf(BackendException.class)
        .hasMessageContaining("only the system image " + BaseImage.NAME);
    assertThat(layers.systemLayerSize()).isEqualTo(-1);
    assertThat(OverlayLayers.mountOptions(record(4, List.of("/a", "/b"), List.of()), Path.of("/s")))
        .isEqualTo("lowerdir=/a:/b,upperdir=/s/upper,workdir=/s/work");
  }

  @Test
  void faultRulesGetIdsBindBySelectorAndForgetClearedIds(@TempDir Path tmp) throws Exception {
    HostsConfig cfg = config(tmp);
    StateStore store = new StateStore(cfg);
    store.prepareDirs();
    HostFaults faults =
        new HostFaults(
            cfg, store, new NspawnMachine(cfg, store, new HostNetwork(cfg)), id -> new Object());
    ServerFaultRule slow =
        faults.add(
            ServerFaultRule.parse(
                Map.of("kind", "slow_boot", "label_selector", "build=42", "seconds", 5),
                HostFaults.KINDS,
                "hosts"));
    assertThat(slow.id()).isEqualTo("f1");
    assertThatThrownBy(
            () ->
                faults.add(
                    ServerFaultRule.parse(
                        Map.of("kind", "ipv4_drop", "server_id", 99), HostFaults.KINDS, "hosts")))
        .isInstanceOf(InvalidRuleException.class)
        .hasMessageContaining("server_id: no server 99 in the hosts backend");
    assertThat(faults.boundTo(Map.of("build", "42"))).containsExactly("f1");
    assertThat(faults.boundTo(Map.of("build", "41"))).isEmpty();
    store.save(record(3, List.of(), faults.boundTo(Map.of("build", "42"))));
    assertThat(faults.slowBootSeconds(store.require(3))).isEqualTo(5);

    HostFaults reloaded =
        new HostFaults(
            cfg, store, new NspawnMachine(cfg, store, new HostNetwork(cfg)), id -> new Object());
    reloaded.load();
    assertThat(reloaded.list()).containsExactly(slow);
    reloaded.clear("f1");
    assertThat(reloaded.list()).isEmpty();
    assertThat(store.require(3).faultIds()).isEmpty();
    assertThat(reloaded.slowBootSeconds(store.require(3))).isZero();
  }
}
