package dev.goldsmith.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;

import dev.goldsmith.events.BuildOverrides;
import dev.goldsmith.events.BuildRequested;
import dev.goldsmith.events.EventCodec;
import dev.goldsmith.events.EventType;
import dev.goldsmith.hcloud.model.CreateImageRequest;
import dev.goldsmith.hcloud.model.CreateImageResult;
import dev.goldsmith.hcloud.model.CreateServerRequest;
import dev.goldsmith.hcloud.model.CreateServerResult;
import dev.goldsmith.hcloud.model.ServerQuery;
import dev.goldsmith.registry.domain.BuildStatus;
import dev.goldsmith.registry.domain.OutboxRepository;
import dev.goldsmith.registry.installation.Installation;
import dev.goldsmith.registry.intake.IntakeResult;
import dev.goldsmith.testkit.EmulatorControl;

/**
 * Hostile and wrong overrides, one test per attack class: each request is REJECTED with a precise
 * message, gets no version, and nothing that would create a server (no BuildAccepted) is written;
 * the cloud's server count does not change. Family reg-intake lists one overridable variable of
 * each type and kind (see its file).
 */
@QuarkusTest
class IntakeSecurityIT extends RegistryTestSupport {
  private static final String DATA = "; request values are data, never templates";

  @Inject OutboxRepository outboxRows;
  @Inject Installation installation;

  @Test
  void aJinjaExpressionInAnAllowedVariableIsRejected() {
    assertThat(
            rejected(
                vars(
                    "runtime_baseline_extra_packages",
                    List.of("{{ lookup('pipe', 'touch /tmp/goldsmith-pwned') }}"))))
        .containsExactly(
            "extraVars.runtime_baseline_extra_packages[0]: contains the template delimiter '{{'"
                + DATA);
  }

  @Test
  void templatesInNestedValuesAndInKeysAreRejected() {
    Map<String, Object> item = new LinkedHashMap<>();
    item.put("name", "tool");
    item.put("src", "vault-preflight");
    item.put("mode", "{{ '0' ~ '777' }}");
    assertThat(
            rejected(
                vars(
                    "publish_binaries_items",
                    List.of(item),
                    "ssh_hardening_options",
                    Map.of("{{ lookup('env', 'HCLOUD_TOKEN') }}", "no"))))
        .containsExactlyInAnyOrder(
            "extraVars.publish_binaries_items[0].mode: contains the template delimiter '{{'" + DATA,
            "extraVars.ssh_hardening_options: key '{{ lookup('env', 'HCLOUD_TOKEN') }}' contains"
                + " the template delimiter '{{'"
                + DATA);
  }

  @Test
  void jinjaBlocksAndCommentsAreRejected() {
    assertThat(
            rejected(
                vars(
                    "runtime_baseline_extra_packages",
                    List.of("{% for i in range(99999999) %}x{% endfor %}", "jq{# hidden #}"))))
        .containsExactlyInAnyOrder(
            "extraVars.runtime_baseline_extra_packages[0]: contains the template delimiter '{%'"
                + DATA,
            "extraVars.runtime_baseline_extra_packages[1]: contains the template delimiter '{#'"
                + DATA);
  }

  @Test
  void aControllerPathAsSrcIsRejected() {
    assertThat(rejected(src("/etc/shadow")))
        .containsExactly(
            "extraVars.publish_binaries_items[0].src: '/etc/shadow' must be a file of role"
                + " publish_binaries's files/ directory, relative to it, not a controller path");
  }

  @Test
  void aSrcWithDotDotIsRejected() {
    assertThat(rejected(src("../../../../../etc/shadow")))
        .containsExactly(
            "extraVars.publish_binaries_items[0].src: '../../../../../etc/shadow' must be a file"
                + " of role publish_binaries's files/ directory without '..'");
  }

  @Test
  void aSrcLeavingFilesThroughASymbolicLinkIsRejected() {
    assertThat(rejected(src(RolesWithEscapeResource.ESCAPE_LINK)))
        .containsExactly(
            "extraVars.publish_binaries_items[0].src: '"
                + RolesWithEscapeResource.ESCAPE_LINK
                + "' leaves role publish_binaries's files/ directory through a link");
  }

  @Test
  void aPathWhereTheRoleExpectsAFileNameIsRejected() {
    assertThat(
            rejected(
                vars(
                    "publish_binaries_items",
                    List.of(Map.of("name", "../../etc/cron.d/evil", "src", "vault-preflight")),
                    "users_admin_name",
                    "root/../x")))
        .containsExactlyInAnyOrder(
            "extraVars.publish_binaries_items[0].name: '../../etc/cron.d/evil' must be a file"
                + " name, not a path (no '/')",
            "extraVars.users_admin_name: 'root/../x' must be a file name, not a path (no '/')");
  }

  @Test
  void anUndeclaredVariableIsRejected() {
    assertThat(rejected(vars("image_hygiene_machine_id", false)))
        .singleElement()
        .asString()
        .startsWith(
            "extraVars.image_hygiene_machine_id: not overridable in family 'reg-intake'"
                + " (overridable: ");
  }

  @Test
  void wrongTypesAreRejected() {
    assertThat(
            rejected(
                vars(
                    "runtime_baseline_cache_valid_time",
                    "3600",
                    "runtime_baseline_install_recommends",
                    1,
                    "publish_binaries_dest",
                    List.of("/usr/local/bin"))))
        .containsExactlyInAnyOrder(
            "extraVars.runtime_baseline_cache_valid_time: must be of type int (role"
                + " runtime_baseline's argument spec), got string",
            "extraVars.runtime_baseline_install_recommends: must be of type bool (role"
                + " runtime_baseline's argument spec), got integer",
            "extraVars.publish_binaries_dest: must be of type path (role publish_binaries's"
                + " argument spec), got list");
  }

  @Test
  void aBaseImageThatDoesNotExistIsRejected() {
    assertThat(rejected(image("debian-99", null)))
        .containsExactly("baseImage: no image is named 'debian-99'");
    assertThat(rejected(image("987654321", null)))
        .containsExactly("baseImage: image 987654321 does not exist");
  }

  @Test
  void aBaseImageOfAnotherArchitectureIsRejected() {
    // 114690389 is the emulator's debian-12 for arm; cx23 is x86.
    assertThat(rejected(image("114690389", null)))
        .containsExactly(
            "baseImage: image 114690389 ('114690389') is built for arm, server type"
                + " 'cx23' is x86");
    // debian-10 exists for x86 only; cax11 is arm.
    assertThat(rejected(image("debian-10", "cax11")))
        .containsExactly(
            "baseImage: 'debian-10' has no arm image for server type 'cax11' (only x86)");
  }

  @Test
  void aSnapshotThisInstallationDoesNotOwnIsRejected() {
    long foreign = snapshotOf(Map.of("team", "someone-else"));
    assertThat(rejected(image(Long.toString(foreign), null)))
        .containsExactly(
            "baseImage: image "
                + foreign
                + " ('"
                + foreign
                + "') is a snapshot this installation does not own");
  }

  @Test
  void aManagedSnapshotOfAnotherInstallationIsRejected() {
    long other =
        snapshotOf(
            Map.of("goldsmith.dev/managed", "true", "goldsmith.dev/installation", "someone-else"));
    long unlabelled = snapshotOf(Map.of("goldsmith.dev/managed", "true"));
    assertThat(rejected(image(Long.toString(other), null)))
        .containsExactly(
            "baseImage: image "
                + other
                + " ('"
                + other
                + "') is a snapshot this installation does not own");
    assertThat(rejected(image(Long.toString(unlabelled), null)))
        .containsExactly(
            "baseImage: image "
                + unlabelled
                + " ('"
                + unlabelled
                + "') is a snapshot this installation does not own");
  }

  @Test
  void aSnapshotThatIsNotAvailableIsRejected() {
    EmulatorControl emulator = emulator();
    // The snapshot stays "creating" for 20 s, long enough for one intake call.
    emulator.raw("POST", "/_emulator/action-durations", Map.of("create_image", 20_000));
    Snapshot creating;
    try {
      creating = snapshot(own());
    } finally {
      emulator.raw("DELETE", "/_emulator/action-durations", null);
    }
    String id = Long.toString(creating.image().image().id());
    try {
      assertThat(rejected(image(id, null)))
          .containsExactly("baseImage: image " + id + " ('" + id + "') is creating, not available");
    } finally {
      hcloud.actions().waitForAndAwait(creating.image().action());
      hcloud.actions().waitForAndAwait(hcloud.servers().deleteAndAwait(creating.serverId()));
    }
  }

  @Test
  void anOwnAvailableSnapshotAndDeclaredWellTypedValuesAreAccepted() {
    long own = snapshotOf(own());
    Map<String, Object> extra = new HashMap<>();
    extra.put(
        "publish_binaries_items",
        List.of(Map.of("name", "vault-preflight", "src", "vault-preflight", "mode", "0700")));
    extra.put("runtime_baseline_cache_valid_time", 60);
    extra.put("ssh_hardening_options", Map.of("X11Forwarding", "no"));
    BuildRequested r =
        request(
            UUID.randomUUID(),
            "reg-intake",
            new BuildOverrides(null, Long.toString(own), null, null, null, extra));
    IntakeResult result = intake.handle(EventCodec.toJson(r), headers(r));
    assertThat(result.accepted()).as("%s", result.errors()).isTrue();
  }

  @Test
  void everyProblemIsReportedAtOnce() {
    Map<String, Object> extra = new LinkedHashMap<>();
    extra.put("motd", "hi");
    extra.put("runtime_baseline_cache_valid_time", "{{ 1 }}");
    extra.put("publish_binaries_items", List.of(Map.of("name", "a/b", "src", "/etc/shadow")));
    List<String> errors = rejected(new BuildOverrides(null, "debian-99", null, null, null, extra));
    assertThat(errors)
        .hasSize(6)
        .anyMatch(e -> e.startsWith("extraVars.motd: not overridable"))
        .anyMatch(e -> e.startsWith("extraVars.runtime_baseline_cache_valid_time: contains"))
        .anyMatch(e -> e.startsWith("extraVars.runtime_baseline_cache_valid_time: must be"))
        .anyMatch(e -> e.startsWith("extraVars.publish_binaries_items[0].name:"))
        .anyMatch(e -> e.startsWith("extraVars.publish_binaries_items[0].src:"))
        .contains("baseImage: no image is named 'debian-99'");
  }

  /**
   * Sends a request for reg-intake through intake and checks that it was rejected and that nothing
   * downstream could start: REJECTED stored, no version, only a BuildRejected in the outbox, no
   * server more in the cloud.
   */
  private List<String> rejected(BuildOverrides overrides) {
    UUID id = UUID.randomUUID();
    int serversBefore = hcloud.servers().allAndAwait(ServerQuery.all()).size();
    BuildRequested r = request(id, "reg-intake", overrides);
    IntakeResult result = intake.handle(EventCodec.toJson(r), headers(r));
    assertThat(result.accepted()).as("accepted as %s", result.version()).isFalse();
    QuarkusTransaction.requiringNew()
        .run(
            () -> {
              assertThat(builds.findById(id).status).isEqualTo(BuildStatus.REJECTED);
              assertThat(versions.byBuild(id)).isEmpty();
              assertThat(outboxRows.list("buildId", id))
                  .isNotEmpty()
                  .allSatisfy(
                      e -> assertThat(e.eventType).isEqualTo(EventType.BUILD_REJECTED.name()));
            });
    assertThat(hcloud.servers().allAndAwait(ServerQuery.all())).hasSize(serversBefore);
    return result.errors();
  }

  private static BuildOverrides vars(Object... keysAndValues) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      m.put((String) keysAndValues[i], keysAndValues[i + 1]);
    }
    return new BuildOverrides(null, null, null, null, null, m);
  }

  private static BuildOverrides src(String src) {
    return vars("publish_binaries_items", List.of(Map.of("name", "tool", "src", src)));
  }

  private static BuildOverrides image(String baseImage, String serverType) {
    return new BuildOverrides(null, baseImage, serverType, null, null, null);
  }

  /** The labels of a snapshot this installation made. */
  private Map<String, String> own() {
    return Map.of("goldsmith.dev/managed", "true", "goldsmith.dev/installation", installation.id());
  }

  /** A snapshot of a throwaway server, available, with the given labels; the server deleted. */
  private long snapshotOf(Map<String, String> labels) {
    Snapshot s = snapshot(labels);
    hcloud.actions().waitForAndAwait(s.image().action());
    hcloud.actions().waitForAndAwait(hcloud.servers().deleteAndAwait(s.serverId()));
    return s.image().image().id();
  }

  /** A snapshot being taken of a throwaway server (both left to the caller). */
  private Snapshot snapshot(Map<String, String> labels) {
    CreateServerResult server =
        hcloud
            .servers()
            .createAndAwait(
                CreateServerRequest.builder(
                        "reg-sec-" + UUID.randomUUID().toString().substring(0, 8),
                        "cx23",
                        "debian-12")
                    .location("fsn1")
                    .build());
    hcloud.actions().waitForAndAwait(server.allActions());
    CreateImageResult image =
        hcloud
            .servers()
            .createImageAndAwait(
                server.server().id(), CreateImageRequest.snapshot("intake security", labels));
    return new Snapshot(server.server().id(), image);
  }

  private record Snapshot(long serverId, CreateImageResult image) {}

  private static EmulatorControl emulator() {
    var config = ConfigProvider.getConfig();
    String endpoint = config.getValue("hcloud.endpoint", String.class);
    return new EmulatorControl(
        endpoint.replaceFirst("/v1/?$", ""), config.getValue("hcloud.token", String.class));
  }
}
