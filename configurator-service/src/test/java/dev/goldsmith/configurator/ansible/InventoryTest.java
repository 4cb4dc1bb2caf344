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

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

class InventoryTest {
  @TempDir Path dir;

  private Inventory inventory(HostAddress address) {
    return new Inventory(
        "builder-42",
        address,
        22,
        "root",
        dir.resolve("id_ed25519"),
        dir.resolve("known_hosts"),
        "-C -o ControlMaster=auto -o StrictHostKeyChecking=accept-new");
  }

  @Test
  void ipv4InventoryConnectsToTheIpv4Address() throws Exception {
    JsonNode host = ansibleSees(inventory(HostAddress.ipv4("203.0.113.7")));

    assertThat(host.path("ansible_host").asText()).isEqualTo("203.0.113.7");
    assertThat(host.path("ansible_port").asInt()).isEqualTo(22);
    assertThat(host.path("ansible_user").asText()).isEqualTo("root");
    assertThat(host.path("ansible_ssh_private_key_file").asText())
        .isEqualTo(dir.resolve("id_ed25519").toString());
    assertThat(host.path("ansible_ssh_common_args").asText()).contains("IdentitiesOnly=yes");
  }

  @Test
  void pinningOptionsComeBeforeTheTreesSshArgsSoSshUsesThem() throws Exception {
    JsonNode host = ansibleSees(inventory(HostAddress.ipv4("203.0.113.7")));

    // ssh takes the first value of an option: the tree's accept-new comes after "yes"
    String args = host.path("ansible_ssh_args").asText();
    assertThat(args)
        .startsWith(
            "-o StrictHostKeyChecking=yes -o UserKnownHostsFile="
                + dir.resolve("known_hosts")
                + " -o GlobalKnownHostsFile=/dev/null ")
        .endsWith("-C -o ControlMaster=auto -o StrictHostKeyChecking=accept-new");
    assertThat(host.path("ansible_ssh_common_args").asText()).doesNotContain("StrictHostKey");
  }

  @Test
  void ipv6InventoryWritesTheBareLiteralAsAString() throws Exception {
    Inventory inv = inventory(HostAddress.ipv6("2001:DB8:0:0::1"));

    assertThat(inv.toYaml()).contains("ansible_host: \"2001:db8::1\"");
    JsonNode host = ansibleSees(inv);
    assertThat(host.path("ansible_host").isTextual()).isTrue();
    assertThat(host.path("ansible_host").asText()).isEqualTo("2001:db8::1");
  }

  @Test
  void ipv6NetworkMeansItsFirstHostAddress() {
    assertThat(HostAddress.ipv6("2a01:4f8:c012:abcd::/64").literal())
        .isEqualTo("2a01:4f8:c012:abcd::1");
    assertThat(HostAddress.ipv6("[fd00:42::1]").literal()).isEqualTo("fd00:42::1");
    assertThat(HostAddress.ipv6("fd00:42::1").bracketed()).isEqualTo("[fd00:42::1]");
  }

  @Test
  void addressesThatAreNotLiteralsAreRejected() {
    assertThatThrownBy(() -> HostAddress.ipv4("builder.example")).hasMessageContaining("IPv4");
    assertThatThrownBy(() -> HostAddress.ipv4("2001:db8::1")).hasMessageContaining("IPv4");
    assertThatThrownBy(() -> HostAddress.ipv6("203.0.113.7")).hasMessageContaining("IPv6");
    assertThatThrownBy(() -> HostAddress.ipv6("2001:db8::1 -oProxyCommand=x"))
        .hasMessageContaining("IPv6");
  }

  @Test
  void sshArgumentsWithSpacesAreQuotedForAnsible() {
    assertThat(Inventory.shellQuote("UserKnownHostsFile=/a b/known_hosts"))
        .isEqualTo("'UserKnownHostsFile=/a b/known_hosts'");
    assertThat(Inventory.shellQuote("IdentitiesOnly=yes")).isEqualTo("IdentitiesOnly=yes");
  }

  @Test
  void sshItselfEndsUpCheckingStrictlyAgainstTheBuildsKnownHosts() throws Exception {
    Inventory inv = inventory(HostAddress.ipv4("203.0.113.7"));
    // Ansible's order: ssh_args, then its own options, then ssh_common_args
    List<String> cmd = new java.util.ArrayList<>(List.of("ssh", "-G"));
    cmd.addAll(List.of(inv.sshArgs().split(" ")));
    cmd.addAll(List.of(inv.sshCommonArgs().split(" ")));
    cmd.add("203.0.113.7");

    String effective = run(cmd);

    assertThat(effective)
        .contains("stricthostkeychecking true\n")
        .contains("userknownhostsfile " + dir.resolve("known_hosts") + "\n")
        .contains("globalknownhostsfile /dev/null\n");
    // the same options in ssh_common_args would lose against the tree's accept-new
    assertThat(
            run(
                List.of(
                    "ssh",
                    "-G",
                    "-o",
                    "StrictHostKeyChecking=accept-new",
                    "-o",
                    "StrictHostKeyChecking=yes",
                    "203.0.113.7")))
        .contains("stricthostkeychecking accept-new\n");
  }

  private static String run(List<String> cmd) throws Exception {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(out).isZero();
    return out;
  }

  /** The host's variables as ansible-inventory parses the written file. */
  private JsonNode ansibleSees(Inventory inv) throws Exception {
    Path file = dir.resolve("inventory.yml");
    inv.write(file);
    Process p =
        new ProcessBuilder(List.of("ansible-inventory", "-i", file.toString(), "--list"))
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(Files.readString(file)).isZero();
    JsonNode root = new ObjectMapper().readTree(out);
    assertThat(root.path("all").path("children").toString()).contains("ungrouped");
    return root.path("_meta").path("hostvars").path("builder-42");
  }
}
