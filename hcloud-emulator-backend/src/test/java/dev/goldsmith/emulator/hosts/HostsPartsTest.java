package dev.goldsmith.emulator.hosts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.goldsmith.emulator.backend.ServerBackend.BackendException;
import dev.goldsmith.emulator.backend.ServerFaultRule;

class HostsPartsTest {

  @Test
  void instanceDerivesEveryCollidingNameAndRange() {
    HostsConfig c = HostsConfig.forInstance(3);
    assertThat(c.bridge()).isEqualTo("gsbr3");
    assertThat(c.namePrefix()).isEqualTo("gs3-");
    assertThat(c.aptCacherPort()).isEqualTo(3145);
    assertThat(c.stateDir()).isEqualTo(Path.of("/var/lib/goldsmith-emulator/hosts-3"));
    assertThat(c.imageCacheDir()).isEqualTo(Path.of("/var/lib/goldsmith-emulator/images"));
    assertThat(c.serverIpv4(1)).isEqualTo("10.213.3.2");
    assertThat(c.serverIpv6Net(10)).isEqualTo("fd00:213:3:a::");
    assertThat(c.serverIpv6(10)).isEqualTo("fd00:213:3:a::1");
    assertThat(c.serverTransitIpv6(10)).isEqualTo("fd00:213:3::b");
  }

  @Test
  void unknownKeysAndBadInstancesAreRejected() {
    assertThatThrownBy(() -> HostsConfig.fromProperties(Map.of("instnace", "1")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("instnace");
    assertThatThrownBy(() -> HostsConfig.fromProperties(Map.of("instance", "8")))
        .hasMessageContaining("0..7");
  }

  @Test
  void overlapComparesTheShorterPrefix() {
    assertThat(HostPrerequisites.overlaps("10.213.0.5", 16, "10.213.3.0", 24)).isTrue();
    assertThat(HostPrerequisites.overlaps("10.213.4.5", 24, "10.213.3.0", 24)).isFalse();
    assertThat(HostPrerequisites.overlaps("fd00::2", 64, "fd00:213:0::", 48)).isFalse();
    assertThat(HostPrerequisites.overlaps("fd00::2", 8, "fd00:213:0::", 48)).isTrue();
    assertThat(HostPrerequisites.overlaps("10.0.0.1", 8, "fd00::", 48)).isFalse();
  }

  @Test
  void aptSourcesGiveMmdebstrapLinesAndRemapsFromTheHostsOwnMirror() {
    var repos =
        AptSources.parseDeb822(
            "Types: deb\nURIs: http://mirror.example/debian\nSuites: bookworm bookworm-updates\n"
                + "Components: main\n\nTypes: deb\nURIs: http://mirror.example/debian-security/\n"
                + "Suites: bookworm-security\nComponents: main\n\nTypes: deb-src\nURIs: http://x/y\nSuites: a\n");
    AptSources s = new AptSources(repos);
    assertThat(s.debLines("bookworm"))
        .containsExactly(
            "deb http://mirror.example/debian bookworm main",
            "deb http://mirror.example/debian bookworm-updates main",
            "deb http://mirror.example/debian-security bookworm-security main");
    assertThat(s.remapLines())
        .containsExactly(
            "Remap-gsrepo0: mirror.example/debian /debian ; http://mirror.example/debian/",
            "Remap-gsrepo1: mirror.example/debian-security /debian-security ; http://mirror.example/debian-security/");
    assertThat(
            AptSources.parseOneLine(
                "deb [arch=amd64] http://m/debian bookworm main contrib\n# deb x"))
        .containsExactly(
            new AptSources.Repo(
                "http://m/debian",
                java.util.List.of("bookworm"),
                java.util.List.of("main", "contrib")));
  }

  @Test
  void networkFaultsDropOneFamilyInTheirOwnTable() {
    ServerFaultRule f =
        ServerFaultRule.parse(
                Map.of("kind", "ipv6_drop", "label_selector", "a=b"),
                HostsBackend.FAULT_KINDS,
                "hosts")
            .withId("f2");
    assertThat(NetworkFault.isNetwork(f)).isTrue();
    assertThat(NetworkFault.nftScript(f))
        .contains("table inet gsfault_f2")
        .contains("meta nfproto ipv6 drop")
        .doesNotContain("ipv4");
  }

  @Test
  void cloudConfigSubsetIsParsed() {
    CloudInit ci =
        CloudInit.parse(
            "#cloud-config\nssh_authorized_keys: [ssh-ed25519 AAAA k]\nssh_keys:\n  ed25519_public: pub\n"
                + "users: [default, {name: admin, groups: sudo}]\nwrite_files:\n  - path: /x\n    content: y\n"
                + "runcmd:\n  - [touch, /z]\n  - echo hi\npackages: [ignored]\n");
    assertThat(ci.rootKeys).containsExactly("ssh-ed25519 AAAA k");
    assertThat(ci.hostKeys).containsEntry("ed25519_public", "pub");
    assertThat(ci.users).hasSize(1);
    assertThat(ci.writeFiles).hasSize(1);
    assertThat(ci.runcmd).hasSize(2);
    assertThatThrownBy(() -> CloudInit.parse("just text")).isInstanceOf(BackendException.class);
    assertThatThrownBy(() -> CloudInit.parse("#cloud-config\nssh_keys: {dsa_private: x}"))
        .hasMessageContaining("dsa_private");
  }

  @Test
  void rootFsNeverFollowsImageSymlinksOutOfTheImage(@TempDir Path tmp) throws Exception {
    Path root = Files.createDirectories(tmp.resolve("root"));
    Path outside = Files.createDirectories(tmp.resolve("outside"));
    Files.createDirectories(root.resolve("etc"));
    // an earlier owner of the disk planted links to host paths
    Files.createSymbolicLink(root.resolve("etc/evil"), outside);
    Files.createSymbolicLink(root.resolve("etc/up"), Path.of("../../../outside"));
    Files.createSymbolicLink(root.resolve("etc/file"), outside.resolve("victim"));
    RootFs fs = new RootFs(root);
    fs.write("/etc/evil/x", "a", "644");
    fs.write("/etc/up/y", "b", "644");
    fs.write("/etc/file", "c", "644");
    try (var s = Files.list(outside)) {
      assertThat(s.toList()).isEmpty();
    }
    assertThat(fs.resolve("/etc/evil/x"))
        .isEqualTo(root.resolve(outside.toString().substring(1)).resolve("x"));
    assertThat(Files.readString(root.resolve("outside/y"))).isEqualTo("b");
    assertThat(Files.isSymbolicLink(root.resolve("etc/file"))).isFalse();
  }

  @Test
  void rootKeysAreAppendedWithoutDuplicatesLikeCloudInit() {
    assertThat(Personaliser.appendKeys("", List.of("ssh-ed25519 AAA a", "ssh-ed25519 AAA a ")))
        .isEqualTo("ssh-ed25519 AAA a\n");
    assertThat(Personaliser.appendKeys("ssh-ed25519 OLD build", List.of("ssh-ed25519 NEW api")))
        .isEqualTo("ssh-ed25519 OLD build\nssh-ed25519 NEW api\n");
    assertThat(
            Personaliser.appendKeys(
                "# kept\nssh-ed25519 OLD build\n",
                List.of("ssh-ed25519 OLD build", "ssh-ed25519 NEW api")))
        .isEqualTo("# kept\nssh-ed25519 OLD build\nssh-ed25519 NEW api\n");
  }
}
