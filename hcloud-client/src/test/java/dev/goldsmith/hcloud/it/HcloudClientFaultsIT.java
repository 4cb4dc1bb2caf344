package dev.goldsmith.hcloud.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.vertx.mutiny.core.Vertx;

import dev.goldsmith.hcloud.HcloudClient;
import dev.goldsmith.hcloud.LogCapture;
import dev.goldsmith.hcloud.RetrySettings;
import dev.goldsmith.hcloud.error.ActionFailedException;
import dev.goldsmith.hcloud.error.ActionVanishedException;
import dev.goldsmith.hcloud.error.ActionWaitTimeoutException;
import dev.goldsmith.hcloud.error.HcloudApiException;
import dev.goldsmith.hcloud.error.HcloudErrorCode;
import dev.goldsmith.hcloud.model.Action;
import dev.goldsmith.hcloud.model.CreateImageRequest;
import dev.goldsmith.hcloud.model.CreateServerRequest;
import dev.goldsmith.hcloud.model.CreateServerResult;
import dev.goldsmith.hcloud.model.Location;
import dev.goldsmith.hcloud.model.NameQuery;
import dev.goldsmith.hcloud.model.Server;
import dev.goldsmith.hcloud.model.ServerStatus;
import dev.goldsmith.testkit.EmulatorControl;
import dev.goldsmith.testkit.EmulatorProcess;

/** Every error and retry path of the client, driven by the emulator's fault injection. */
class HcloudClientFaultsIT {

  private static EmulatorProcess emulator;
  private static EmulatorControl control;
  private static Vertx vertx;
  private static HcloudClient client;

  @BeforeAll
  static void start() {
    emulator = Emulator.start(Map.of("emulator.actions.duration.create_image", "3s"));
    control = emulator.control();
    vertx = Vertx.vertx();
    client = HcloudClient.create(Emulator.config(emulator), vertx);
  }

  @AfterAll
  static void stop() {
    if (client != null) {
      client.close();
    }
    if (vertx != null) {
      vertx.closeAndAwait();
    }
    if (emulator != null) {
      emulator.close();
    }
  }

  @BeforeEach
  void reset() {
    control.reset();
  }

  private Server createRunning(String name) {
    CreateServerResult created =
        client
            .servers()
            .createAndAwait(CreateServerRequest.builder(name, "cx22", "debian-12").build());
    client.actions().waitForAndAwait(created.allActions());
    return client.servers().getAndAwait(created.server().id()).orElseThrow();
  }

  @Test
  void rateLimitBurstIsHonouredViaRateLimitReset() {
    control.addFault(
        Map.of("method", "GET", "path", "/locations", "kind", "rate_limit", "count", 3));
    control.resetCounters();

    List<Location> locations = client.locations().allAndAwait(NameQuery.all());

    assertThat(locations).isNotEmpty();
    assertThat(control.requests("GET /v1/locations")).isEqualTo(4);
    assertThat(control.faults().get(0).get("fired")).isEqualTo(3);
  }

  @Test
  void sharedBudgetWaitsInsteadOfProvoking429() {
    // A tiny bucket: 2 requests, refilled at 1 per second, so 6 quick requests would overrun it.
    // The strict client has no retries: a single 429 would fail the call.
    control.rateLimit(Map.of("enabled", true, "limit", 2, "refill_per_second", 1));
    try (HcloudClient strict =
        HcloudClient.create(Emulator.config(emulator).withRetry(RetrySettings.none()), vertx)) {
      for (int i = 0; i < 6; i++) {
        assertThat(strict.locations().getByNameAndAwait("fsn1")).isPresent();
      }
      assertThat(strict.rateLimit().limit()).isEqualTo(2);
    } finally {
      control.rateLimit(Map.of("enabled", true, "limit", 3600, "refill_per_second", 1));
    }
  }

  @Test
  void gatewayErrorsAreRetriedThenSucceed() {
    control.addFault(
        Map.of(
            "method",
            "GET",
            "path",
            "/server_types",
            "status",
            502,
            "code",
            "bad_gateway",
            "count",
            2));
    control.addFault(
        Map.of(
            "method", "GET", "path", "/locations", "status", 504, "code", "timeout", "count", 1));
    control.addFault(
        Map.of("method", "GET", "path", "/images", "status", 409, "code", "conflict", "count", 1));
    control.resetCounters();

    assertThat(client.serverTypes().allAndAwait(NameQuery.all())).isNotEmpty();
    assertThat(client.locations().allAndAwait(NameQuery.all())).isNotEmpty();
    assertThat(client.images().listAndAwait(dev.goldsmith.hcloud.model.ImageQuery.all()).items())
        .isNotEmpty();

    assertThat(control.requests("GET /v1/server_types")).isEqualTo(3);
    assertThat(control.requests("GET /v1/locations")).isEqualTo(2);
    assertThat(control.requests("GET /v1/images")).isEqualTo(2);
  }

  @Test
  void persistent5xxIsRetriedThenGivenUp() {
    control.addFault(
        Map.of("method", "GET", "path", "/servers/*", "status", 502, "code", "bad_gateway"));
    control.resetCounters();

    assertThatThrownBy(() -> client.servers().getAndAwait(1))
        .isInstanceOfSatisfying(
            HcloudApiException.class,
            e -> {
              assertThat(e.httpStatus()).isEqualTo(502);
              assertThat(e.code()).isEqualTo(HcloudErrorCode.BAD_GATEWAY);
              assertThat(e.correlationId()).isPresent();
            });
    assertThat(control.requests("GET /v1/servers/{id}")).isEqualTo(4);
  }

  @Test
  void unavailableIsNotRetried() {
    control.addFault(
        Map.of("method", "GET", "path", "/servers/*", "status", 503, "code", "unavailable"));
    control.resetCounters();

    assertThatThrownBy(() -> client.servers().getAndAwait(1))
        .isInstanceOf(HcloudApiException.class);
    assertThat(control.requests("GET /v1/servers/{id}")).isEqualTo(1);
  }

  @Test
  void lockedIsNotRetried() {
    Server s = createRunning("locked-one");
    control.addFault(
        Map.of(
            "method",
            "POST",
            "path",
            "/servers/*/actions/reboot",
            "status",
            423,
            "code",
            "locked"));
    control.resetCounters();

    assertThatThrownBy(() -> client.servers().rebootAndAwait(s.id()))
        .isInstanceOfSatisfying(
            HcloudApiException.class,
            e -> {
              assertThat(e.code()).isEqualTo(HcloudErrorCode.LOCKED);
              assertThat(e.isRetryable()).isFalse();
            });
    assertThat(control.requests("POST /v1/servers/{id}/actions/reboot")).isEqualTo(1);
  }

  @Test
  void realLockWhileAnActionRunsIsNotRetried() {
    Server s = createRunning("busy-one");
    CreateServerResult ignored = null;
    Action snapshot =
        client
            .servers()
            .createImageAndAwait(s.id(), CreateImageRequest.snapshot("slow", null))
            .action();
    control.resetCounters();

    assertThatThrownBy(() -> client.servers().powerOffAndAwait(s.id()))
        .isInstanceOfSatisfying(
            HcloudApiException.class, e -> assertThat(e.code()).isEqualTo(HcloudErrorCode.LOCKED));
    assertThat(control.requests("POST /v1/servers/{id}/actions/poweroff")).isEqualTo(1);
    client.actions().waitForAndAwait(snapshot);
    assertThat(ignored).isNull();
  }

  @Test
  void actionEndingInErrorIsSurfaced() {
    Server s = createRunning("failing-one");
    control.addFault(
        Map.of(
            "method",
            "POST",
            "path",
            "/servers/*/actions/poweroff",
            "kind",
            "action_error",
            "message",
            "disk on fire"));

    Action a = client.servers().powerOffAndAwait(s.id());

    assertThatThrownBy(() -> client.actions().waitForAndAwait(a))
        .isInstanceOfSatisfying(
            ActionFailedException.class,
            e -> {
              assertThat(e.action().id()).isEqualTo(a.id());
              assertThat(e.errorCode()).isEqualTo("action_failed");
              assertThat(e.errorMessage()).contains("disk on fire");
            });
  }

  @Test
  void deadlineExceededWhileTheActionRuns() {
    Server s = createRunning("slow-one");
    Action snapshot =
        client
            .servers()
            .createImageAndAwait(s.id(), CreateImageRequest.snapshot("slow", null))
            .action();

    assertThatThrownBy(() -> client.actions().waitForAndAwait(snapshot, Duration.ofMillis(500)))
        .isInstanceOfSatisfying(
            ActionWaitTimeoutException.class,
            e -> assertThat(e.pendingActionIds()).containsExactly(snapshot.id()));
    // The action itself goes on and can still be waited for.
    assertThat(client.actions().waitForAndAwait(snapshot, Duration.ofSeconds(20)).isDone())
        .isTrue();
  }

  @Test
  void vanishedActionFailsFast() throws Exception {
    Server s = createRunning("vanishing-one");
    Action snapshot =
        client
            .servers()
            .createImageAndAwait(s.id(), CreateImageRequest.snapshot("gone", null))
            .action();

    CompletableFuture<List<Action>> wait =
        client
            .actions()
            .waitFor(List.of(snapshot), Duration.ofSeconds(60))
            .subscribeAsCompletionStage();
    control.reset(); // the emulator forgets every action

    assertThatThrownBy(() -> wait.get(20, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class)
        .cause()
        .isInstanceOfSatisfying(
            ActionVanishedException.class,
            e -> assertThat(e.missingActionIds()).containsExactly(snapshot.id()));
  }

  @Test
  void shutdownFallsBackToPoweroffWhenTheGuestIgnoresAcpi() {
    Server s = createRunning("stubborn");
    control.addServerFault(Map.of("kind", "ignore_shutdown", "server_name", "stubborn"));
    control.resetCounters();

    Server off = client.servers().shutdownAndWaitOffAndAwait(s.id(), Duration.ofSeconds(1));

    assertThat(off.status()).isEqualTo(ServerStatus.OFF);
    assertThat(control.requests("POST /v1/servers/{id}/actions/shutdown")).isEqualTo(1);
    assertThat(control.requests("POST /v1/servers/{id}/actions/poweroff")).isEqualTo(1);
  }

  @Test
  void shutdownWithoutFallbackWhenTheGuestObeys() {
    Server s = createRunning("obedient");
    control.resetCounters();

    Server off = client.servers().shutdownAndWaitOffAndAwait(s.id(), Duration.ofSeconds(10));

    assertThat(off.status()).isEqualTo(ServerStatus.OFF);
    assertThat(control.requests("POST /v1/servers/{id}/actions/poweroff")).isZero();
  }

  @Test
  void tokenNeverAppearsInAnyLogLineOfAFailingCall() {
    control.addFault(Map.of("method", "*", "path", "/**", "status", 502, "code", "bad_gateway"));
    List<String> lines;
    Throwable failure = null;
    try (LogCapture logs = new LogCapture()) {
      try {
        client
            .servers()
            .createAndAwait(CreateServerRequest.builder("t", "cx22", "debian-12").build());
      } catch (RuntimeException e) {
        failure = e;
      }
      try {
        client.servers().getAndAwait(42);
      } catch (RuntimeException e) {
        failure = e;
      }
      lines = logs.lines();
    }
    assertThat(failure).isInstanceOf(HcloudApiException.class);
    assertThat(lines).isNotEmpty();
    assertThat(lines).anySatisfy(l -> assertThat(l).contains("/servers/42"));
    assertThat(lines).allSatisfy(l -> assertThat(l).doesNotContain(emulator.token()));
    assertThat(failure.toString()).doesNotContain(emulator.token());
  }
}
