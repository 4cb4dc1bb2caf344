package dev.goldsmith.emulator.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

@QuarkusTest
class SshKeysApiTest extends ApiTestSupport {
  /** A key whose MD5 fingerprint ssh-keygen -l -E md5 reports as below. */
  static final String KEY =
      "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIKLqgU5xTlxE3tW2k7h7a2cQWpTAVmoNsV0NwhiiA5Mc root@vm";

  /** As printed by {@code ssh-keygen -l -E md5} for KEY. */
  static final String FINGERPRINT = "92:b5:08:28:6d:04:c3:0c:1b:77:a0:1a:60:6c:75:aa";

  static final String OTHER_KEY =
      "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIJ+KAxLQ3dUHHQLf6xYyA8cJz0u2hZ4ZyvqtlJwMZ7iq other";

  @BeforeEach
  void clean() {
    reset();
  }

  @Test
  void createComputesTheMd5FingerprintAndToleratesATrailingNewline() {
    json(Map.of("name", "k1", "public_key", KEY + "\n", "labels", Map.of()))
        .post("/v1/ssh_keys")
        .then()
        .statusCode(201)
        .body("ssh_key.fingerprint", equalTo(FINGERPRINT))
        .body("ssh_key.public_key", equalTo(KEY));
    assertThat(FINGERPRINT).matches("([0-9a-f]{2}:){15}[0-9a-f]{2}");
  }

  @Test
  void fingerprintMatchesSshKeygen() {
    assertThat(
            SshKeysResource.fingerprint(
                "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIJ+KAxLQ3dUHHQLf6xYyA8cJz0u2hZ4ZyvqtlJwMZ7iq"))
        .isEqualTo("bc:d8:61:f2:af:df:4b:92:49:55:42:04:2f:63:57:ee");
  }

  @Test
  void duplicatesAreUniquenessErrors() {
    json(Map.of("name", "k1", "public_key", KEY)).post("/v1/ssh_keys").then().statusCode(201);
    json(Map.of("name", "k2", "public_key", KEY))
        .post("/v1/ssh_keys")
        .then()
        .statusCode(409)
        .body("error.code", equalTo("uniqueness_error"))
        .body("error.message", equalTo("SSH key with the same fingerprint already exists"));
    json(Map.of("name", "k1", "public_key", OTHER_KEY))
        .post("/v1/ssh_keys")
        .then()
        .statusCode(409)
        .body("error.details.fields[0].name", equalTo("name"));
  }

  @Test
  void invalidKeysAndFields() {
    json(Map.of("name", "k", "public_key", "not a key"))
        .post("/v1/ssh_keys")
        .then()
        .statusCode(422)
        .body("error.details.fields[0].name", equalTo("public_key"));
    json(Map.of("name", "k", "public_key", KEY, "comment", "x"))
        .post("/v1/ssh_keys")
        .then()
        .statusCode(422)
        .body("error.code", equalTo("invalid_input"));
  }

  @Test
  void listByNameFingerprintAndSelectorUpdateAndDelete() {
    long id =
        json(Map.of("name", "k1", "public_key", KEY, "labels", Map.of("team", "a")))
            .post("/v1/ssh_keys")
            .jsonPath()
            .getLong("ssh_key.id");
    json(Map.of("name", "k2", "public_key", OTHER_KEY)).post("/v1/ssh_keys").then().statusCode(201);
    assertThat(api().get("/v1/ssh_keys?name=k2").jsonPath().getList("ssh_keys.name"))
        .containsExactly("k2");
    assertThat(
            api()
                .get("/v1/ssh_keys?fingerprint=" + FINGERPRINT)
                .jsonPath()
                .getList("ssh_keys.id", Long.class))
        .containsExactly(id);
    assertThat(api().get("/v1/ssh_keys?label_selector=team=a").jsonPath().getList("ssh_keys.name"))
        .containsExactly("k1");
    json(Map.of("name", "renamed", "labels", Map.of()))
        .put("/v1/ssh_keys/" + id)
        .then()
        .statusCode(200)
        .body("ssh_key.name", equalTo("renamed"))
        .body("ssh_key.labels", equalTo(Map.of()));
    Response r = api().delete("/v1/ssh_keys/" + id);
    assertThat(r.statusCode()).isEqualTo(204);
    assertThat(r.asByteArray()).isEmpty();
    assertThat(r.header("Content-Type")).isNull();
    api().get("/v1/ssh_keys/" + id).then().statusCode(404).body("error.code", equalTo("not_found"));
    api().delete("/v1/ssh_keys/" + id).then().statusCode(404);
  }

  @Test
  void serversGetNoPasswordWhenKeysAreGiven() {
    json(Map.of("name", "k1", "public_key", KEY)).post("/v1/ssh_keys").then().statusCode(201);
    assertThat(
            createServer("keyed", Map.of("ssh_keys", java.util.List.of("k1")))
                .getString("root_password"))
        .isNull();
    json(Map.of(
            "name",
            "nokey",
            "server_type",
            "cx23",
            "image",
            "debian-12",
            "ssh_keys",
            java.util.List.of(4242)))
        .post("/v1/servers")
        .then()
        .statusCode(422);
  }
}
