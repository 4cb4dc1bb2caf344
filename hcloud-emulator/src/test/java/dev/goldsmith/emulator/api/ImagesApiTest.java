package dev.goldsmith.emulator.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;

@QuarkusTest
class ImagesApiTest extends ApiTestSupport {

  @BeforeEach
  void clean() {
    reset();
  }

  private long snapshot(long server, String description, Map<String, String> labels) {
    JsonPath r =
        json(Map.of("type", "snapshot", "description", description, "labels", labels))
            .post("/v1/servers/" + server + "/actions/create_image")
            .then()
            .statusCode(201)
            .extract()
            .jsonPath();
    assertThat(r.getString("image.status")).isEqualTo("creating");
    assertThat(r.getMap("image")).containsEntry("name", null).containsEntry("image_size", null);
    assertThat(r.getString("image.created_from.name")).isNotNull();
    awaitAction(r.getLong("action.id"));
    return r.getLong("image.id");
  }

  @Test
  void createImageBecomesAvailableAndOutlivesTheServer() {
    long server = createRunningServer("src");
    long image = snapshot(server, "golden-1", Map.of("k", "v"));
    JsonPath i = api().get("/v1/images/" + image).jsonPath();
    assertThat(i.getString("image.status")).isEqualTo("available");
    assertThat(i.getDouble("image.image_size")).isGreaterThan(0);
    assertThat(i.getString("image.description")).isEqualTo("golden-1");
    assertThat(i.getLong("image.created_from.id")).isEqualTo(server);
    awaitAction(api().delete("/v1/servers/" + server).jsonPath().getLong("action.id"));
    api().get("/v1/images/" + image).then().statusCode(200);
    // a server can be created from the snapshot
    JsonPath s = createServer("from-snap", Map.of("image", image));
    assertThat(s.getLong("server.image.id")).isEqualTo(image);
  }

  @Test
  void createImageRejectsOtherTypes() {
    long server = createRunningServer("t");
    json(Map.of("type", "iso"))
        .post("/v1/servers/" + server + "/actions/create_image")
        .then()
        .statusCode(422)
        .body("error.code", equalTo("invalid_input"));
  }

  @Test
  void listFilters() {
    long server = createRunningServer("lf");
    long a = snapshot(server, "a", Map.of("stage", "built"));
    long b = snapshot(server, "b", Map.of("stage", "verified"));
    assertThat(api().get("/v1/images?type=snapshot").jsonPath().getList("images.id", Long.class))
        .containsExactly(a, b);
    assertThat(
            api()
                .get("/v1/images?type=snapshot&label_selector=stage=built")
                .jsonPath()
                .getList("images.id", Long.class))
        .containsExactly(a);
    assertThat(
            api()
                .get("/v1/images?type=snapshot&sort=id:desc")
                .jsonPath()
                .getList("images.id", Long.class))
        .containsExactly(b, a);
    assertThat(api().get("/v1/images?name=debian-12").jsonPath().getList("images.architecture"))
        .containsExactly("x86", "arm");
    assertThat(
            api()
                .get("/v1/images?name=debian-12&architecture=arm")
                .jsonPath()
                .getList("images.architecture"))
        .containsExactly("arm");
    assertThat(api().get("/v1/images?name=debian-10").jsonPath().getList("images")).isEmpty();
    assertThat(
            api()
                .get("/v1/images?name=debian-10&include_deprecated=true")
                .jsonPath()
                .getList("images"))
        .hasSize(1);
    assertThat(
            api()
                .get("/v1/images?type=system&type=snapshot&include_deprecated=true")
                .jsonPath()
                .getInt("meta.pagination.total_entries"))
        .isEqualTo(7);
    assertThat(api().get("/v1/images?status=creating").jsonPath().getList("images")).isEmpty();
    api().get("/v1/images?type=weird").then().statusCode(422);
  }

  @Test
  void updateDescriptionAndLabels() {
    long image = snapshot(createRunningServer("u"), "before", Map.of("a", "b"));
    json(Map.of("description", "after", "labels", Map.of("x", "y")))
        .put("/v1/images/" + image)
        .then()
        .statusCode(200)
        .body("image.description", equalTo("after"))
        .body("image.labels", equalTo(Map.of("x", "y")));
    json(Map.of("name", "n")).put("/v1/images/" + image).then().statusCode(422);
    json(Map.of("description", "x"))
        .put("/v1/images/114690387")
        .then()
        .statusCode(403)
        .body("error.code", equalTo("forbidden"));
  }

  @Test
  void deleteIs204WithoutBodyAndHonoursProtection() {
    long image = snapshot(createRunningServer("d"), "del", Map.of());
    json(Map.of("delete", true))
        .post("/v1/images/" + image + "/actions/change_protection")
        .then()
        .statusCode(201)
        .body("action.command", equalTo("change_protection"));
    api().get("/v1/images/" + image).then().body("image.protection.delete", equalTo(true));
    api()
        .delete("/v1/images/" + image)
        .then()
        .statusCode(423)
        .body("error.code", equalTo("protected"));
    json(Map.of("delete", false))
        .post("/v1/images/" + image + "/actions/change_protection")
        .then()
        .statusCode(201);
    Response r = api().delete("/v1/images/" + image);
    assertThat(r.statusCode()).isEqualTo(204);
    assertThat(r.asByteArray()).isEmpty();
    assertThat(r.header("Content-Type")).isNull();
    api().get("/v1/images/" + image).then().statusCode(404);
    api().delete("/v1/images/114690387").then().statusCode(403);
    api().get("/v1/images/" + image + "/actions").then().statusCode(404);
  }

  @Test
  void imageActionsAreListed() {
    long image = snapshot(createRunningServer("ia"), "x", Map.of());
    json(Map.of("delete", true)).post("/v1/images/" + image + "/actions/change_protection");
    assertThat(api().get("/v1/images/" + image + "/actions").jsonPath().getList("actions.command"))
        .containsExactly("change_protection");
    assertThat(api().get("/v1/images/actions").jsonPath().getList("actions")).hasSize(1);
  }
}
