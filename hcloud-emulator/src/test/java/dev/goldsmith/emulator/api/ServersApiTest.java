package dev.goldsmith.emulator.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

import dev.goldsmith.emulator.state.Project;
import dev.goldsmith.emulator.state.ServerStatus;
import dev.goldsmith.emulator.state.Store;

@QuarkusTest
class ServersApiTest extends ApiTestSupport {
  @Inject Store store;

  /** The server's status as the emulator holds it, read without any API request. */
  private ServerStatus statusInStore(long id) {
    Project p = store.projects().get(Store.keyOf(TOKEN));
    synchronized (p) {
      return p.servers.get(id).status;
    }
  }

  @BeforeEach
  void clean() {
    reset();
  }

  @Test
  void createAnswersWithServerActionNextActionsAndPassword() {
    slow("create_server", 10000);
    JsonPath r = createServer("web-1", Map.of("labels", Map.of("role", "builder")));
    assertThat(r.getMap("")).containsOnlyKeys("server", "action", "next_actions", "root_password");
    assertThat(r.getString("server.status")).isEqualTo("initializing");
    assertThat(r.getBoolean("server.locked")).isTrue();
    assertThat(r.getString("server.public_net.ipv4.ip")).matches("\\d+\\.\\d+\\.\\d+\\.\\d+");
    assertThat(r.getString("server.public_net.ipv6.ip")).endsWith("::/64");
    assertThat(r.getString("server.created")).matches(".*T.*\\+00:00");
    assertThat(r.getString("action.command")).isEqualTo("create_server");
    assertThat(r.getString("action.status")).isEqualTo("running");
    assertThat(r.getString("next_actions[0].command")).isEqualTo("start_server");
    assertThat(r.getString("root_password")).hasSizeGreaterThan(10);
    assertThat(r.getString("server.datacenter.name")).isEqualTo("fsn1-dc14");
    assertThat(r.getString("server.location.name")).isEqualTo("fsn1");
    Map<String, Object> server = r.getMap("server");
    assertThat(server)
        .containsKeys("iso", "backup_window", "placement_group", "private_net", "image")
        .containsEntry("iso", null)
        .containsEntry("placement_group", null);
    Map<String, Object> ipv4 = r.getMap("server.public_net.ipv4");
    assertThat(ipv4).containsKeys("id", "ip", "blocked", "dns_ptr");
  }

  @Test
  void eachServerGetsItsOwnAddresses() {
    JsonPath a = createServer("a", Map.of());
    JsonPath b = createServer("b", Map.of());
    assertThat(a.getString("server.public_net.ipv4.ip"))
        .isNotEqualTo(b.getString("server.public_net.ipv4.ip"));
    assertThat(a.getString("server.public_net.ipv6.ip"))
        .isNotEqualTo(b.getString("server.public_net.ipv6.ip"));
  }

  @Test
  void statusMovesByElapsedTimeWithoutPolling() {
    JsonPath r = createServer("timed", Map.of());
    long id = r.getLong("server.id");
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> statusInStore(id), ServerStatus.RUNNING::equals);
    assertThat(serverStatus(id)).isEqualTo("running");
    JsonPath action = api().get("/v1/actions/" + r.getLong("next_actions[0].id")).jsonPath();
    assertThat(action.getString("action.status")).isEqualTo("success");
    assertThat(action.getInt("action.progress")).isEqualTo(100);
    assertThat(action.getString("action.finished")).isNotNull();
    assertThat(action.getMap("action")).containsEntry("error", null);
    assertThat(api().get("/v1/servers/" + id).jsonPath().getBoolean("server.locked")).isFalse();
  }

  @Test
  void startAfterCreateFalseEndsOff() {
    JsonPath r = createServer("cold", Map.of("start_after_create", false));
    assertThat(r.getList("next_actions")).isEmpty();
    awaitAction(r.getLong("action.id"));
    assertThat(serverStatus(r.getLong("server.id"))).isEqualTo("off");
  }

  @Test
  void shutdownStopsThenTurnsOffWhenTheBackendStops() {
    long id = createRunningServer("sd");
    slow("shutdown_server", 3000);
    long action =
        api()
            .post("/v1/servers/" + id + "/actions/shutdown")
            .then()
            .statusCode(201)
            .body("action.command", equalTo("shutdown_server"))
            .extract()
            .jsonPath()
            .getLong("action.id");
    assertThat(serverStatus(id)).isEqualTo("stopping");
    assertThat(awaitAction(action).getString("action.status")).isEqualTo("success");
    awaitStatus(id, "off");
  }

  @Test
  void poweroffPoweronRebootReset() {
    long id = createRunningServer("pw");
    long off =
        api()
            .post("/v1/servers/" + id + "/actions/poweroff")
            .then()
            .statusCode(201)
            .body("action.command", equalTo("stop_server"))
            .extract()
            .jsonPath()
            .getLong("action.id");
    awaitAction(off);
    assertThat(serverStatus(id)).isEqualTo("off");
    slow("start_server", 3000);
    long on =
        api()
            .post("/v1/servers/" + id + "/actions/poweron")
            .then()
            .statusCode(201)
            .body("action.command", equalTo("start_server"))
            .extract()
            .jsonPath()
            .getLong("action.id");
    assertThat(serverStatus(id)).isEqualTo("starting");
    awaitAction(on);
    assertThat(serverStatus(id)).isEqualTo("running");
    long reboot =
        api()
            .post("/v1/servers/" + id + "/actions/reboot")
            .then()
            .statusCode(201)
            .body("action.command", equalTo("reboot_server"))
            .extract()
            .jsonPath()
            .getLong("action.id");
    awaitAction(reboot);
    long reset =
        api()
            .post("/v1/servers/" + id + "/actions/reset")
            .then()
            .statusCode(201)
            .body("action.command", equalTo("reset_server"))
            .extract()
            .jsonPath()
            .getLong("action.id");
    awaitAction(reset);
    assertThat(serverStatus(id)).isEqualTo("running");
  }

  @Test
  void aRunningActionLocksTheServer() {
    slow("create_server", 10000);
    JsonPath r = createServer("busy", Map.of());
    long id = r.getLong("server.id");
    api()
        .post("/v1/servers/" + id + "/actions/poweroff")
        .then()
        .statusCode(423)
        .body("error.code", equalTo("locked"))
        .body("error.message", equalTo("cannot perform operation because server is locked"));
  }

  @Test
  void duplicateNameIsAUniquenessError() {
    createServer("dup", Map.of());
    json(Map.of("name", "dup", "server_type", "cx23", "image", "debian-12"))
        .post("/v1/servers")
        .then()
        .statusCode(409)
        .body("error.code", equalTo("uniqueness_error"))
        .body("error.details.fields[0].name", equalTo("name"));
  }

  @Test
  void deleteProtectionAndRebuildProtection() {
    long id = createRunningServer("prot");
    json(Map.of("delete", true, "rebuild", true))
        .post("/v1/servers/" + id + "/actions/change_protection")
        .then()
        .statusCode(201)
        .body("action.status", equalTo("success"));
    api()
        .delete("/v1/servers/" + id)
        .then()
        .statusCode(423)
        .body("error.code", equalTo("protected"));
    json(Map.of("image", "debian-12"))
        .post("/v1/servers/" + id + "/actions/rebuild")
        .then()
        .statusCode(423)
        .body("error.code", equalTo("protected"));
    json(Map.of("delete", false, "rebuild", false))
        .post("/v1/servers/" + id + "/actions/change_protection")
        .then()
        .statusCode(201);
    slow("rebuild_server", 3000);
    long rebuild =
        json(Map.of("image", "ubuntu-24.04"))
            .post("/v1/servers/" + id + "/actions/rebuild")
            .then()
            .statusCode(201)
            .body("root_password", org.hamcrest.Matchers.notNullValue())
            .extract()
            .jsonPath()
            .getLong("action.id");
    assertThat(serverStatus(id)).isEqualTo("rebuilding");
    awaitAction(rebuild);
    assertThat(serverStatus(id)).isEqualTo("running");
    assertThat(api().get("/v1/servers/" + id).jsonPath().getString("server.image.name"))
        .isEqualTo("ubuntu-24.04");
  }

  @Test
  void deleteGivesAnActionThenNotFoundAndTheActionOutlivesTheServer() {
    long id = createRunningServer("gone");
    slow("delete_server", 3000);
    JsonPath del =
        api()
            .delete("/v1/servers/" + id)
            .then()
            .statusCode(200)
            .body("action.command", equalTo("delete_server"))
            .extract()
            .jsonPath();
    assertThat(serverStatus(id)).isEqualTo("deleting");
    awaitAction(del.getLong("action.id"));
    api()
        .get("/v1/servers/" + id)
        .then()
        .statusCode(404)
        .body("error.code", equalTo("not_found"))
        .body("error.details", nullValue());
    api()
        .get("/v1/actions/" + del.getLong("action.id"))
        .then()
        .statusCode(200)
        .body("action.status", equalTo("success"));
    createServer("gone", Map.of());
  }

  @Test
  void updateRenamesAndReplacesLabels() {
    long id =
        createServer("upd", Map.of("labels", Map.of("a", "1", "b", "2"))).getLong("server.id");
    json(Map.of("name", "upd2", "labels", Map.of("c", "3")))
        .put("/v1/servers/" + id)
        .then()
        .statusCode(200)
        .body("server.name", equalTo("upd2"))
        .body("server.labels", equalTo(Map.of("c", "3")));
    createServer("other", Map.of());
    json(Map.of("name", "other"))
        .put("/v1/servers/" + id)
        .then()
        .statusCode(409)
        .body("error.code", equalTo("uniqueness_error"));
  }

  @Test
  void listFiltersByNameStatusAndSelectorAndSorts() {
    long a = createRunningServer("alpha");
    createServer("beta", Map.of("labels", Map.of("env", "prod"), "start_after_create", false));
    createServer("gamma", Map.of("labels", Map.of("env", "dev"), "start_after_create", false));
    slow("start_server", 5000);
    long d = createServer("delta", Map.of("labels", Map.of("env", "test"))).getLong("server.id");
    // delta stays "starting" for the slowed start_server once its create action is done
    awaitStatus(d, "starting");
    assertThat(api().get("/v1/servers?name=beta").jsonPath().getList("servers.name"))
        .containsExactly("beta");
    assertThat(api().get("/v1/servers?status=running").jsonPath().getList("servers.id", Long.class))
        .containsExactly(a);
    assertThat(
            api()
                .get("/v1/servers?status=starting&status=running")
                .jsonPath()
                .getList("servers.name"))
        .containsExactly("alpha", "delta");
    assertThat(
            api()
                .get("/v1/servers?label_selector=env in (prod,dev)")
                .jsonPath()
                .getList("servers.name"))
        .containsExactly("beta", "gamma");
    assertThat(api().get("/v1/servers?label_selector=!env").jsonPath().getList("servers.name"))
        .containsExactly("alpha");
    assertThat(api().get("/v1/servers?sort=name:desc").jsonPath().getList("servers.name"))
        .containsExactly("gamma", "delta", "beta", "alpha");
    assertThat(api().get("/v1/servers?sort=id:asc").jsonPath().getList("servers.name"))
        .containsExactly("alpha", "beta", "gamma", "delta");
    api()
        .get("/v1/servers?sort=color")
        .then()
        .statusCode(422)
        .body("error.code", equalTo("invalid_input"));
    api().get("/v1/servers?status=exploded").then().statusCode(422);
    api()
        .get("/v1/servers?label_selector=env in (x")
        .then()
        .statusCode(422)
        .body("error.code", equalTo("invalid_input"));
  }

  @Test
  void invalidCreateInputs() {
    json(Map.of("name", "x", "server_type", "cx23", "image", "debian-12", "colour", "red"))
        .post("/v1/servers")
        .then()
        .statusCode(422)
        .body("error.code", equalTo("invalid_input"))
        .body("error.message", equalTo("unknown field name 'colour'"))
        .body("error.details.fields[0].name", equalTo("colour"));
    json(Map.of("server_type", "cx23", "image", "debian-12"))
        .post("/v1/servers")
        .then()
        .statusCode(422)
        .body("error.details.fields[0].name", equalTo("name"));
    json(Map.of("name", "bad_name!", "server_type", "cx23", "image", "debian-12"))
        .post("/v1/servers")
        .then()
        .statusCode(422);
    json(Map.of("name", "x", "server_type", "cx999", "image", "debian-12"))
        .post("/v1/servers")
        .then()
        .statusCode(422)
        .body("error.details.fields[0].name", equalTo("server_type"));
    json(Map.of("name", "x", "server_type", "cx23", "image", "windows"))
        .post("/v1/servers")
        .then()
        .statusCode(422);
    json(Map.of("name", "x", "server_type", "cx23", "image", "debian-12", "location", "sin"))
        .post("/v1/servers")
        .then()
        .statusCode(422);
    json(Map.of(
            "name",
            "x",
            "server_type",
            "cx23",
            "image",
            "debian-12",
            "location",
            "fsn1",
            "datacenter",
            "fsn1-dc14"))
        .post("/v1/servers")
        .then()
        .statusCode(422);
    json(Map.of(
            "name",
            "x",
            "server_type",
            "cx23",
            "image",
            "debian-12",
            "user_data",
            "x".repeat(32769)))
        .post("/v1/servers")
        .then()
        .statusCode(422);
    json(Map.of(
            "name",
            "x",
            "server_type",
            "cx23",
            "image",
            "debian-12",
            "labels",
            Map.of("hetzner.cloud/x", "y")))
        .post("/v1/servers")
        .then()
        .statusCode(422);
    json(Map.of(
            "name",
            "x",
            "server_type",
            "cx23",
            "image",
            "debian-12",
            "public_net",
            Map.of("enable_ipv4", true, "bogus", 1)))
        .post("/v1/servers")
        .then()
        .statusCode(422);
    api()
        .contentType("application/json")
        .body("{\"name\":")
        .post("/v1/servers")
        .then()
        .statusCode(400)
        .body("error.code", equalTo("json_error"));
  }

  @Test
  void acceptsWhatTheRealClientsSend() {
    // hcloud CLI 1.30.3: integer image id, labels {}, automount false, public_net enables
    JsonPath cli =
        createServer(
            "cli",
            Map.of(
                "image",
                114690387,
                "labels",
                Map.of(),
                "automount",
                false,
                "location",
                "fsn1",
                "start_after_create",
                true,
                "public_net",
                Map.of("enable_ipv4", true, "enable_ipv6", true)));
    assertThat(cli.getString("server.image.name")).isEqualTo("debian-12");
    // Packer 1.6.6: image by name, the arm twin is chosen for an arm type
    JsonPath arm = createServer("arm", Map.of("server_type", "cax11", "datacenter", "nbg1-dc3"));
    assertThat(arm.getString("server.image.architecture")).isEqualTo("arm");
    assertThat(arm.getString("server.location.name")).isEqualTo("nbg1");
    // IPv4-less server
    JsonPath v6 = createServer("v6only", Map.of("public_net", Map.of("enable_ipv4", false)));
    assertThat(v6.getMap("server.public_net")).containsEntry("ipv4", null);
    // bodiless power action as hcloud-python sends it
    long id = createRunningServer("py");
    io.restassured.RestAssured.given()
        .header("Authorization", "Bearer " + TOKEN)
        .post("/v1/servers/" + id + "/actions/poweroff")
        .then()
        .statusCode(201);
  }

  @Test
  void serverQuotaIsAResourceLimit() {
    for (int i = 0; i < 10; i++) {
      createServer("q" + i, Map.of("start_after_create", false));
    }
    json(Map.of("name", "q10", "server_type", "cx23", "image", "debian-12"))
        .post("/v1/servers")
        .then()
        .statusCode(403)
        .body("error.code", equalTo("resource_limit_exceeded"))
        .body("error.details.limits[0].name", equalTo("server_limit"));
  }

  @Test
  void unknownIdsAndRoutesAreNotFound() {
    api().get("/v1/servers/999").then().statusCode(404).body("error.code", equalTo("not_found"));
    api().post("/v1/servers/999/actions/poweron").then().statusCode(404);
    api()
        .get("/v1/nothing-here")
        .then()
        .statusCode(404)
        .contentType("application/json")
        .body("error.code", equalTo("not_found"));
    api().get("/v1/servers/abc").then().statusCode(404);
  }

  @Test
  void serverActionsAreListed() {
    long id = createRunningServer("acts");
    List<String> commands =
        api().get("/v1/servers/" + id + "/actions?sort=id").jsonPath().getList("actions.command");
    assertThat(commands).containsExactly("create_server", "start_server");
    long first =
        api().get("/v1/servers/" + id + "/actions?sort=id").jsonPath().getLong("actions[0].id");
    api()
        .get("/v1/servers/" + id + "/actions/" + first)
        .then()
        .statusCode(200)
        .body("action.command", equalTo("create_server"));
    api()
        .get("/v1/servers/actions?id=" + first)
        .then()
        .statusCode(200)
        .body("actions.size()", equalTo(1));
  }

  @Test
  void changeTypeNeedsAStoppedServerAndEnableRescueGivesAPassword() {
    long id = createRunningServer("resize");
    json(Map.of("server_type", "cx33", "upgrade_disk", true))
        .post("/v1/servers/" + id + "/actions/change_type")
        .then()
        .statusCode(412)
        .body("error.code", equalTo("server_not_stopped"));
    awaitAction(
        api().post("/v1/servers/" + id + "/actions/poweroff").jsonPath().getLong("action.id"));
    json(Map.of("server_type", "cax11", "upgrade_disk", true))
        .post("/v1/servers/" + id + "/actions/change_type")
        .then()
        .statusCode(422);
    long change =
        json(Map.of("server_type", "cx33", "upgrade_disk", true))
            .post("/v1/servers/" + id + "/actions/change_type")
            .then()
            .statusCode(201)
            .body("action.command", equalTo("change_server_type"))
            .extract()
            .jsonPath()
            .getLong("action.id");
    awaitAction(change);
    api().get("/v1/servers/" + id).then().body("server.server_type.name", equalTo("cx33"));
    JsonPath rescue =
        json(Map.of("type", "linux64"))
            .post("/v1/servers/" + id + "/actions/enable_rescue")
            .then()
            .statusCode(201)
            .extract()
            .jsonPath();
    assertThat(rescue.getString("action.command")).isEqualTo("enable_rescue");
    assertThat(rescue.getString("root_password")).isNotBlank();
    awaitAction(rescue.getLong("action.id"));
    api().get("/v1/servers/" + id).then().body("server.rescue_enabled", equalTo(true));
  }
}
