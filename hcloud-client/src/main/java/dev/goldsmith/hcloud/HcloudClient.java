package dev.goldsmith.hcloud;

import io.vertx.mutiny.core.Vertx;

import dev.goldsmith.hcloud.api.ActionsApi;
import dev.goldsmith.hcloud.api.ImagesApi;
import dev.goldsmith.hcloud.api.LocationsApi;
import dev.goldsmith.hcloud.api.ServerTypesApi;
import dev.goldsmith.hcloud.api.ServersApi;
import dev.goldsmith.hcloud.api.SshKeysApi;
import dev.goldsmith.hcloud.internal.ActionsImpl;
import dev.goldsmith.hcloud.internal.CatalogImpl;
import dev.goldsmith.hcloud.internal.ImagesImpl;
import dev.goldsmith.hcloud.internal.RateLimitBudget;
import dev.goldsmith.hcloud.internal.RequestExecutor;
import dev.goldsmith.hcloud.internal.ServersImpl;
import dev.goldsmith.hcloud.internal.SshKeysImpl;

/**
 * The Hetzner Cloud API client. Thread-safe; create one per process (or per CDI producer) and share
 * it. Every operation returns a Mutiny {@code Uni}; each also has a blocking {@code …AndAwait} twin
 * for worker threads.
 *
 * <pre>{@code
 * HcloudClient hcloud = HcloudClient.create(HcloudConfig.fromEnv(), vertx);
 * CreateServerResult created = hcloud.servers().createAndAwait(
 *     CreateServerRequest.builder("builder-1", "cx22", "debian-12").location("fsn1").build());
 * hcloud.actions().waitForAndAwait(created.allActions());
 * }</pre>
 *
 * <p>All clients of the same endpoint and token in a process share one rate-limit budget.
 */
public final class HcloudClient implements AutoCloseable {

  private final HcloudConfig config;
  private final RequestExecutor http;
  private final Vertx ownedVertx;
  private final ServersApi servers;
  private final ImagesApi images;
  private final ActionsApi actions;
  private final SshKeysApi sshKeys;
  private final ServerTypesApi serverTypes;
  private final LocationsApi locations;

  private HcloudClient(
      HcloudConfig config, Vertx vertx, Vertx ownedVertx, HcloudObserver observer) {
    this.config = config;
    this.ownedVertx = ownedVertx;
    this.http =
        new RequestExecutor(
            vertx, config, RateLimitBudget.shared(config.endpoint(), config.token()), observer);
    this.actions = new ActionsImpl(http, config.actionPoll());
    this.servers = new ServersImpl(http, actions, config.actionPoll());
    this.images = new ImagesImpl(http);
    this.sshKeys = new SshKeysImpl(http);
    this.serverTypes = CatalogImpl.serverTypes(http);
    this.locations = CatalogImpl.locations(http);
  }

  /**
   * A client on the caller's Vert.x (in Quarkus: the injected {@code io.vertx.mutiny.core.Vertx}).
   */
  public static HcloudClient create(HcloudConfig config, Vertx vertx) {
    return new HcloudClient(config, vertx, null, HcloudObserver.NONE);
  }

  /**
   * As {@link #create(HcloudConfig, Vertx)}, with an observer of every HTTP attempt (metrics,
   * spans).
   */
  public static HcloudClient create(HcloudConfig config, Vertx vertx, HcloudObserver observer) {
    return new HcloudClient(config, vertx, null, observer);
  }

  /** A client with a Vert.x of its own, closed by {@link #close()} (tools and plain tests). */
  public static HcloudClient create(HcloudConfig config) {
    Vertx own = Vertx.vertx();
    return new HcloudClient(config, own, own, HcloudObserver.NONE);
  }

  public ServersApi servers() {
    return servers;
  }

  public ImagesApi images() {
    return images;
  }

  public ActionsApi actions() {
    return actions;
  }

  public SshKeysApi sshKeys() {
    return sshKeys;
  }

  public ServerTypesApi serverTypes() {
    return serverTypes;
  }

  public LocationsApi locations() {
    return locations;
  }

  /** The configuration (its {@code toString} hides the token). */
  public HcloudConfig config() {
    return config;
  }

  /** The process-wide rate-limit budget this client spends from. */
  public RateLimitStatus rateLimit() {
    RateLimitBudget b = http.budget();
    return new RateLimitStatus(b.limit(), b.remaining(), b.resetAtMillis());
  }

  /**
   * What the client knows of the rate limit.
   *
   * @param limit requests per hour; -1 before the first response
   * @param remaining estimated requests left now; -1 before the first response
   * @param resetAtEpochMillis when the bucket is full again; 0 while unknown
   */
  public record RateLimitStatus(int limit, long remaining, long resetAtEpochMillis) {}

  /** Closes the HTTP client, and the Vert.x instance if this client created it. */
  @Override
  public void close() {
    http.close();
    if (ownedVertx != null) {
      ownedVertx.closeAndAwait();
    }
  }

  @Override
  public String toString() {
    return "HcloudClient[" + config.endpoint() + "]";
  }
}
