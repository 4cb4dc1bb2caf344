package dev.goldsmith.hcloud;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.vertx.mutiny.core.Vertx;

import dev.goldsmith.hcloud.error.ActionFailedException;
import dev.goldsmith.hcloud.error.ActionVanishedException;
import dev.goldsmith.hcloud.error.ActionWaitTimeoutException;
import dev.goldsmith.hcloud.error.HcloudApiException;
import dev.goldsmith.hcloud.error.HcloudErrorCode;
import dev.goldsmith.hcloud.error.HcloudNetworkException;
import dev.goldsmith.hcloud.internal.Fixtures;
import dev.goldsmith.hcloud.model.Action;
import dev.goldsmith.hcloud.model.ActionStatus;
import dev.goldsmith.hcloud.model.CreateServerRequest;
import dev.goldsmith.hcloud.model.Server;
import dev.goldsmith.hcloud.model.ServerQuery;

/**
 * The request path against a scripted loopback server: exact requests, error mapping, retries, rate
 * limit, paging and action waiting, each failing on any missing or extra call.
 */
class ClientRequestPathTest {

  private static final String TOKEN = "secret-token-0123456789-abcdefghijklmnopqrstuvwxyz-XYZ";
  private static Vertx vertx;
  private ScriptedServer server;
  private HcloudClient client;

  @BeforeAll
  static void startVertx() {
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void stopVertx() {
    vertx.closeAndAwait();
  }

  @BeforeEach
  void start() {
    server = new ScriptedServer(vertx);
    client = HcloudClient.create(fastConfig(server.endpoint()), vertx);
  }

  @AfterEach
  void stop() {
    client.close();
    server.close();
  }

  static HcloudConfig fastConfig(String endpoint) {
    return HcloudConfig.of(endpoint, TOKEN)
        .withRetry(
            RetrySettings.defaults()
                .withMaxTries(3)
                .withBackoff(Duration.ofMillis(10), Duration.ofMillis(40))
                .withMaxRateLimitWait(Duration.ofSeconds(30)))
        .withActionPoll(
            ActionPollSettings.defaults()
                .withIntervals(Duration.ofMillis(20), Duration.ofMillis(50))
                .withDefaultTimeout(Duration.ofSeconds(30)))
        .withRequestTimeout(Duration.ofSeconds(20));
  }

  private static String serverJson() {
    return Fixtures.json("create-server-response.json").get("server").toString();
  }

  @Test
  void everyRequestCarriesTokenAndUserAgentAndBodylessPostHasNoContentType() {
    server.expect(
        "POST",
        "/servers/7/actions/poweroff",
        201,
        "{\"action\":" + ScriptedServer.action(9, "running") + "}");

    Action a = client.servers().powerOffAndAwait(7);

    assertThat(a.id()).isEqualTo(9);
    server.assertDone();
    ScriptedServer.Seen req = server.seen().get(0);
    assertThat(req.headers().get("Authorization")).isEqualTo("Bearer " + TOKEN);
    assertThat(req.headers().get("User-Agent")).startsWith("goldsmith/");
    assertThat(req.headers().get("Content-Type")).isNull();
    assertThat(req.body()).isEmpty();
  }

  @Test
  void createServerSendsIdsAsIntegersAndNamesAsStrings() {
    server.expect("POST", "/servers", 201, Fixtures.json("create-server-response.json").toString());

    var result =
        client
            .servers()
            .createAndAwait(
                CreateServerRequest.builder("x", "cx22", "114690387")
                    .location("fsn1")
                    .sshKey(1001)
                    .sshKey("deploy")
                    .label("role", "builder")
                    .build());

    server.assertDone();
    String body = server.seen().get(0).body();
    assertThat(body)
        .contains(
            "\"image\":114690387", "\"server_type\":\"cx22\"", "\"ssh_keys\":[1001,\"deploy\"]")
        .contains("\"labels\":{\"role\":\"builder\"}", "\"start_after_create\":true")
        .contains("\"public_net\":{\"enable_ipv4\":true,\"enable_ipv6\":true}");
    assertThat(server.seen().get(0).headers().get("Content-Type")).isEqualTo("application/json");
    assertThat(result.allActions())
        .extracting(Action::command)
        .containsExactly("create_server", "start_server");
    assertThat(result.rootPassword()).isEmpty();
  }

  @Test
  void lookupReturnsEmptyOn404() {
    server.expect(
        "GET", "/servers/404", 404, ScriptedServer.error("not_found", "server not found"));

    assertThat(client.servers().getAndAwait(404)).isEmpty();
    server.assertDone();
  }

  @Test
  void deleteImageAccepts204WithoutBody() {
    server.expect("DELETE", "/images/5", 204, null);

    client.images().deleteAndAwait(5);
    server.assertDone();
  }

  @Test
  void allFollowsNextPageAndListReturnsOnePage() {
    String s = serverJson();
    server.expect(
        "GET",
        "/servers?label_selector=role%3Dbuilder&page=1&per_page=50",
        200,
        page("servers", s, 1, 2));
    server.expect(
        "GET",
        "/servers?label_selector=role%3Dbuilder&page=2&per_page=50",
        200,
        page("servers", s, 2, 3));
    server.expect(
        "GET",
        "/servers?label_selector=role%3Dbuilder&page=3&per_page=50",
        200,
        page("servers", s, 3, null));
    server.expect("GET", "/servers?page=2&per_page=1", 200, page("servers", s, 2, 3));

    List<Server> all =
        client.servers().allAndAwait(ServerQuery.all().withLabelSelector("role=builder"));
    var one = client.servers().listAndAwait(ServerQuery.all().withPage(2, 1));

    assertThat(all).hasSize(3);
    assertThat(one.items()).hasSize(1);
    assertThat(one.nextPage()).contains(3);
    server.assertDone();
  }

  static String page(String key, String item, int page, Integer next) {
    return "{\""
        + key
        + "\":["
        + item
        + "],\"meta\":{\"pagination\":{\"page\":"
        + page
        + ",\"per_page\":50,\"previous_page\":null,\"next_page\":"
        + next
        + ",\"last_page\":null,\"total_entries\":null}}}";
  }

  @Test
  void aUniIsLazyAndEverySubscriptionSendsAgain() {
    server.expect("GET", "/servers/1", 404, ScriptedServer.error("not_found", "x"));
    server.expect("GET", "/servers/1", 404, ScriptedServer.error("not_found", "x"));

    var lookup = client.servers().get(1);
    assertThat(server.seen()).isEmpty();
    lookup.await().indefinitely();
    lookup.await().indefinitely();

    assertThat(server.seen()).hasSize(2);
    server.assertDone();
  }

  @Test
  void conflictIsRetriedThenSucceeds() {
    server.expect("GET", "/servers/1", 409, ScriptedServer.error("conflict", "changed"));
    server.expect("GET", "/servers/1", 409, ScriptedServer.error("conflict", "changed"));
    server.expect("GET", "/servers/1", 200, "{\"server\":" + serverJson() + "}");

    assertThat(client.servers().getAndAwait(1)).isPresent();
    server.assertDone();
  }

  @Test
  void bare502IsRetriedUntilTriesRunOut() {
    server.expect("GET", "/servers/1", 502, null);
    server.expect("GET", "/servers/1", 502, null);
    server.expect("GET", "/servers/1", 502, null);

    assertThatThrownBy(() -> client.servers().getAndAwait(1))
        .isInstanceOfSatisfying(
            HcloudApiException.class, e -> assertThat(e.httpStatus()).isEqualTo(502));
    server.assertDone();
  }

  @Test
  void neverRetriedCodesFailAtOnce() {
    for (String code : List.of("invalid_input", "uniqueness_error", "protected", "locked")) {
      server.expect("POST", "/servers/1/actions/shutdown", 422, ScriptedServer.error(code, "no"));
      assertThatThrownBy(() -> client.servers().shutdownAndAwait(1))
          .isInstanceOfSatisfying(
              HcloudApiException.class,
              e -> assertThat(e.code()).isEqualTo(HcloudErrorCode.fromWire(code)));
    }
    server.assertDone();
    assertThat(server.seen()).hasSize(4);
  }

  @Test
  void correlationIdReachesTheException() {
    server.expect(
        "GET",
        "/images/3",
        503,
        ScriptedServer.error("unavailable", "later"),
        Map.of("X-Correlation-Id", "abc123"));

    assertThatThrownBy(() -> client.images().getAndAwait(3))
        .isInstanceOfSatisfying(
            HcloudApiException.class,
            e -> {
              assertThat(e.correlationId()).contains("abc123");
              assertThat(e.getMessage()).contains("abc123", "unavailable");
              assertThat(e.isRetryable()).isFalse();
            });
    server.assertDone();
  }

  @Test
  void rateLimitWaitsUntilResetBeforeRetrying() {
    long reset = System.currentTimeMillis() / 1000 + 2;
    server.expect(
        "GET",
        "/servers/1",
        429,
        ScriptedServer.error("rate_limit_exceeded", "Limit reached"),
        Map.of(
            "RateLimit-Limit",
            "3600",
            "RateLimit-Remaining",
            "0",
            "RateLimit-Reset",
            Long.toString(reset)));
    server.expect("GET", "/servers/1", 200, "{\"server\":" + serverJson() + "}");

    assertThat(client.servers().getAndAwait(1)).isPresent();
    server.assertDone();
    assertThat(server.seen().get(1).atMillis()).isGreaterThanOrEqualTo(reset * 1000 - 5);
  }

  @Test
  void emptyBudgetMakesTheNextCallWaitInsteadOfProvoking429() {
    long reset = System.currentTimeMillis() / 1000 + 2;
    // Remaining 0 with 2 missing units until reset: the next unit arrives in about 1 s.
    server.expect(
        "GET",
        "/locations/1",
        404,
        ScriptedServer.error("not_found", "x"),
        Map.of(
            "RateLimit-Limit",
            "2",
            "RateLimit-Remaining",
            "0",
            "RateLimit-Reset",
            Long.toString(reset)));
    server.expect("GET", "/locations/2", 404, ScriptedServer.error("not_found", "x"));

    client.locations().getAndAwait(1);
    client.locations().getAndAwait(2);

    server.assertDone();
    assertThat(server.seen().get(1).atMillis() - server.seen().get(0).atMillis())
        .isGreaterThanOrEqualTo(400);
    assertThat(client.rateLimit().limit()).isEqualTo(2);
  }

  @Test
  void droppedGetIsRetriedButDroppedPostIsNot() {
    server.expectAndDrop("GET", "/servers/1");
    server.expect("GET", "/servers/1", 200, "{\"server\":" + serverJson() + "}");
    assertThat(client.servers().getAndAwait(1)).isPresent();

    server.expectAndDrop("POST", "/servers/1/actions/reboot");
    assertThatThrownBy(() -> client.servers().rebootAndAwait(1))
        .isInstanceOf(HcloudNetworkException.class);
    server.assertDone();
    assertThat(server.seen()).hasSize(3);
  }

  @Test
  void refusedConnectionIsRetriedThenSurfacesAsNetworkError() throws Exception {
    int port;
    try (java.net.ServerSocket s =
        new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    try (HcloudClient dead =
            HcloudClient.create(fastConfig("http://127.0.0.1:" + port + "/v1"), vertx);
        LogCapture logs = new LogCapture()) {
      assertThatThrownBy(
              () ->
                  dead.servers()
                      .createAndAwait(
                          CreateServerRequest.builder("n", "cx22", "debian-12").build()))
          .isInstanceOfSatisfying(
              HcloudNetworkException.class,
              e -> assertThat(e.getCause()).isInstanceOf(java.net.ConnectException.class));
      // A POST that never reached the server is safe to retry: 3 tries, 2 retry lines.
      assertThat(logs.lines()).filteredOn(l -> l.contains("will be retried")).hasSize(2);
    }
  }

  @Test
  void waitForPollsAllActionsTogetherUntilSuccess() {
    server.expect(
        "GET",
        "/actions?id=1&id=2",
        200,
        ScriptedServer.actions(
            ScriptedServer.action(1, "success"), ScriptedServer.action(2, "running")));
    server.expect(
        "GET", "/actions?id=2&", 200, ScriptedServer.actions(ScriptedServer.action(2, "success")));
    Action a1 = running(1);
    Action a2 = running(2);

    List<Action> done = client.actions().waitForAndAwait(List.of(a1, a2), Duration.ofSeconds(30));

    assertThat(done).extracting(Action::status).containsOnly(ActionStatus.SUCCESS);
    server.assertDone();
  }

  @Test
  void waitForFailsWithTheActionsError() {
    server.expect(
        "GET", "/actions?id=1", 200, ScriptedServer.actions(ScriptedServer.action(1, "error")));

    assertThatThrownBy(() -> client.actions().waitForAndAwait(running(1), Duration.ofSeconds(30)))
        .isInstanceOfSatisfying(
            ActionFailedException.class,
            e -> {
              assertThat(e.errorCode()).isEqualTo("action_failed");
              assertThat(e.errorMessage()).isEqualTo("Action failed");
              assertThat(e.action().id()).isEqualTo(1);
            });
    server.assertDone();
  }

  @Test
  void waitForFailsFastWhenAnActionVanishes() {
    server.expect(
        "GET",
        "/actions?id=1&id=2",
        200,
        ScriptedServer.actions(ScriptedServer.action(1, "running")));

    assertThatThrownBy(
            () ->
                client
                    .actions()
                    .waitForAndAwait(List.of(running(1), running(2)), Duration.ofSeconds(30)))
        .isInstanceOfSatisfying(
            ActionVanishedException.class,
            e -> assertThat(e.missingActionIds()).containsExactly(2L));
    server.assertDone();
  }

  @Test
  void waitForGivesUpAtTheDeadline() {
    for (int i = 0; i < 100; i++) {
      server.expect(
          "GET", "/actions?id=1", 200, ScriptedServer.actions(ScriptedServer.action(1, "running")));
    }

    assertThatThrownBy(() -> client.actions().waitForAndAwait(running(1), Duration.ofMillis(300)))
        .isInstanceOfSatisfying(
            ActionWaitTimeoutException.class,
            e -> assertThat(e.pendingActionIds()).containsExactly(1L));
    assertThat(server.seen()).hasSizeLessThanOrEqualTo(20);
  }

  @Test
  void alreadyFinishedActionsNeedNoRequest() {
    Action done = new Action(3, "x", ActionStatus.SUCCESS, 100, null, null, List.of(), null);

    assertThat(client.actions().waitForAndAwait(done)).isEqualTo(done);
    assertThat(server.seen()).isEmpty();
  }

  @Test
  void tokenNeverAppearsInLogsOrExceptionsOfAFailingCall() {
    server.expect("GET", "/servers/1", 502, null);
    server.expect("GET", "/servers/1", 504, null);
    server.expect("GET", "/servers/1", 500, ScriptedServer.error("server_error", "boom"));
    server.expect("POST", "/servers", 422, ScriptedServer.error("invalid_input", "bad"));

    Throwable get;
    Throwable post;
    List<String> lines;
    try (LogCapture logs = new LogCapture()) {
      get = catchIt(() -> client.servers().getAndAwait(1));
      post =
          catchIt(
              () ->
                  client
                      .servers()
                      .createAndAwait(
                          CreateServerRequest.builder("n", "cx22", "debian-12").build()));
      lines = logs.lines();
    }

    server.assertDone();
    assertThat(lines).anySatisfy(l -> assertThat(l).contains("/servers/1"));
    assertThat(lines)
        .allSatisfy(l -> assertThat(l).doesNotContain(TOKEN).doesNotContain("secret-token"));
    for (Throwable t : List.of(get, post)) {
      assertThat(t).isInstanceOf(HcloudApiException.class);
      assertThat(t.toString()).doesNotContain(TOKEN);
      assertThat(String.valueOf(t.getMessage())).doesNotContain(TOKEN);
    }
    assertThat(client.toString()).doesNotContain(TOKEN);
    assertThat(client.config().toString()).doesNotContain(TOKEN);
  }

  private static Throwable catchIt(Runnable r) {
    try {
      r.run();
      return null;
    } catch (RuntimeException e) {
      return e;
    }
  }

  private static Action running(long id) {
    return new Action(id, "start_server", ActionStatus.RUNNING, 0, null, null, List.of(), null);
  }
}
