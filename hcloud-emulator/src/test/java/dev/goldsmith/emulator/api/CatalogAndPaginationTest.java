package dev.goldsmith.emulator.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

@QuarkusTest
class CatalogAndPaginationTest extends ApiTestSupport {

  private static Map<String, Object> pagination(String path) {
    return api().get(path).then().statusCode(200).extract().jsonPath().getMap("meta.pagination");
  }

  @Test
  void paginationHasExactlySixKeys() {
    assertThat(pagination("/v1/server_types"))
        .containsOnlyKeys(
            "page", "per_page", "previous_page", "next_page", "last_page", "total_entries");
  }

  @Test
  void paginationEdges() {
    // 10 server types, 3 per page: pages 1..4
    Map<String, Object> first = pagination("/v1/server_types?per_page=3");
    assertThat(first)
        .containsEntry("page", 1)
        .containsEntry("previous_page", null)
        .containsEntry("next_page", 2)
        .containsEntry("last_page", 4)
        .containsEntry("total_entries", 10);
    Map<String, Object> last = pagination("/v1/server_types?per_page=3&page=4");
    assertThat(last).containsEntry("previous_page", 3).containsEntry("next_page", null);
    assertThat(api().get("/v1/server_types?per_page=3&page=4").jsonPath().getList("server_types"))
        .hasSize(1);
    JsonPath beyond = api().get("/v1/server_types?per_page=3&page=9").jsonPath();
    assertThat(beyond.getList("server_types")).isEmpty();
    assertThat(beyond.getMap("meta.pagination"))
        .containsEntry("next_page", null)
        .containsEntry("previous_page", 4);
    assertThat(pagination("/v1/server_types?per_page=50"))
        .containsEntry("last_page", 1)
        .containsEntry("next_page", null);
    assertThat(pagination("/v1/server_types")).containsEntry("per_page", 25);
    Map<String, Object> empty = pagination("/v1/ssh_keys");
    assertThat(empty).containsEntry("last_page", 1).containsEntry("total_entries", 0);
    api()
        .get("/v1/server_types?per_page=51")
        .then()
        .statusCode(422)
        .body("error.code", equalTo("invalid_input"));
    api().get("/v1/server_types?per_page=0").then().statusCode(422);
    api().get("/v1/server_types?page=0").then().statusCode(422);
    api().get("/v1/server_types?page=x").then().statusCode(422);
  }

  @Test
  void pagesDoNotOverlapAndCoverEverything() {
    java.util.Set<Object> seen = new java.util.HashSet<>();
    for (int page = 1; page <= 4; page++) {
      seen.addAll(
          api()
              .get("/v1/server_types?sort=name&per_page=3&page=" + page)
              .jsonPath()
              .getList("server_types.id"));
    }
    assertThat(seen).hasSize(10);
  }

  @Test
  void serverTypesHaveRealSpecsAndDecimalStringPrices() {
    JsonPath cx23 = api().get("/v1/server_types?name=cx23").jsonPath();
    assertThat(cx23.getInt("server_types[0].cores")).isEqualTo(2);
    assertThat(cx23.getFloat("server_types[0].memory")).isEqualTo(4.0f);
    assertThat(cx23.getInt("server_types[0].disk")).isEqualTo(40);
    assertThat(cx23.getString("server_types[0].architecture")).isEqualTo("x86");
    assertThat(cx23.getString("server_types[0].prices[0].price_hourly.net"))
        .matches("\\d+\\.\\d{10}");
    assertThat(api().get("/v1/server_types?name=cx53").jsonPath().getInt("server_types[0].cores"))
        .isEqualTo(16);
    assertThat(
            api()
                .get("/v1/server_types?name=cax11")
                .jsonPath()
                .getString("server_types[0].architecture"))
        .isEqualTo("arm");
    api()
        .get("/v1/server_types/116")
        .then()
        .statusCode(200)
        .body("server_type.name", equalTo("cx23"));
    api().get("/v1/server_types/1").then().statusCode(404);
  }

  @Test
  void locationsAndDatacenters() {
    assertThat(api().get("/v1/locations?sort=id").jsonPath().getList("locations.name"))
        .containsExactly("fsn1", "nbg1", "hel1", "ash", "hil", "sin");
    assertThat(api().get("/v1/locations?sort=name:desc").jsonPath().getList("locations.name"))
        .startsWith("sin", "nbg1");
    api().get("/v1/locations/1").then().body("location.network_zone", equalTo("eu-central"));
    JsonPath dcs = api().get("/v1/datacenters").jsonPath();
    assertThat(dcs.getMap("")).containsKeys("datacenters", "recommendation", "meta");
    assertThat(dcs.getList("datacenters")).hasSize(6);
    api()
        .get("/v1/datacenters?name=fsn1-dc14")
        .then()
        .body("datacenters[0].location.name", equalTo("fsn1"));
    api()
        .get("/v1/firewalls/actions?status=running")
        .then()
        .statusCode(200)
        .body("actions.size()", equalTo(0));
  }

  @Test
  void actionsNeedIdsAndFilterAndSort() {
    reset();
    long server = createRunningServer("acts");
    JsonPath list = api().get("/v1/servers/" + server + "/actions").jsonPath();
    long a = list.getLong("actions[0].id");
    long b = list.getLong("actions[1].id");
    api().get("/v1/actions").then().statusCode(422).body("error.code", equalTo("invalid_input"));
    assertThat(
            api()
                .get("/v1/actions?id=" + a + "&id=" + b + "&sort=id:desc")
                .jsonPath()
                .getList("actions.id", Long.class))
        .containsExactly(b, a);
    assertThat(
            api()
                .get("/v1/actions?id=" + a + "&id=" + b + "&status=running")
                .jsonPath()
                .getList("actions"))
        .isEmpty();
    assertThat(
            api()
                .get("/v1/actions?id=" + a + "&status=success&sort=status&sort=id")
                .jsonPath()
                .getList("actions"))
        .hasSize(1);
    api().get("/v1/actions?id=x").then().statusCode(422);
    api().get("/v1/actions/1").then().statusCode(404).body("error.code", equalTo("not_found"));
  }
}
