package dev.goldsmith.hcloud.internal;

import java.net.ConnectException;
import java.time.Duration;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;

import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.ext.web.client.HttpRequest;
import io.vertx.mutiny.ext.web.client.HttpResponse;
import io.vertx.mutiny.ext.web.client.WebClient;

import dev.goldsmith.hcloud.HcloudConfig;
import dev.goldsmith.hcloud.HcloudObserver;
import dev.goldsmith.hcloud.RetrySettings;
import dev.goldsmith.hcloud.error.HcloudApiException;
import dev.goldsmith.hcloud.error.HcloudErrorCode;
import dev.goldsmith.hcloud.error.HcloudException;
import dev.goldsmith.hcloud.error.HcloudNetworkException;

/**
 * The one request path of the client. Every call goes through {@link #send}: it waits for the
 * shared rate-limit budget, adds the bearer token and user agent, applies the request timeout, maps
 * error statuses and bodies to {@link HcloudApiException} (with the {@code X-Correlation-Id}), and
 * retries what may be retried with backoff, jitter, a cap and a maximum number of tries.
 *
 * <p>The token is only ever put into the {@code Authorization} header; it never reaches a log line,
 * an exception message or a {@code toString}.
 */
public final class RequestExecutor {

  private static final Logger LOG = Logger.getLogger("dev.goldsmith.hcloud");

  private final Vertx vertx;
  private final WebClient web;
  private final String endpoint;
  private final String authorization;
  private final String userAgent;
  private final RetrySettings retry;
  private final long timeoutMillis;
  private final RateLimitBudget budget;
  private final HcloudObserver observer;

  public RequestExecutor(Vertx vertx, HcloudConfig config, RateLimitBudget budget) {
    this(vertx, config, budget, HcloudObserver.NONE);
  }

  public RequestExecutor(
      Vertx vertx, HcloudConfig config, RateLimitBudget budget, HcloudObserver observer) {
    this.vertx = vertx;
    this.observer = observer == null ? HcloudObserver.NONE : observer;
    this.endpoint = config.endpoint();
    this.authorization = "Bearer " + config.token();
    this.userAgent = config.userAgent();
    this.retry = config.retry();
    this.timeoutMillis = config.requestTimeout().toMillis();
    this.budget = budget;
    this.web =
        WebClient.create(
            vertx,
            new WebClientOptions()
                .setUserAgent(config.userAgent())
                .setFollowRedirects(false)
                .setConnectTimeout((int) Math.min(Integer.MAX_VALUE, timeoutMillis))
                .setKeepAlive(true));
  }

  /** The shared budget this executor spends from. */
  public RateLimitBudget budget() {
    return budget;
  }

  /** The Vert.x instance requests and timers run on. */
  public Vertx vertx() {
    return vertx;
  }

  /**
   * Sends a request and returns the parsed JSON body (an empty object for 204).
   *
   * @param method GET, POST, PUT or DELETE
   * @param pathAndQuery path relative to the endpoint, starting with {@code /}
   * @param body request body, or null to send none
   */
  public Uni<JsonNode> send(String method, String pathAndQuery, JsonNode body) {
    return attempt(method, pathAndQuery, body, 1);
  }

  private Uni<JsonNode> attempt(String method, String path, JsonNode body, int tryNo) {
    return acquireBudget()
        .chain(() -> once(method, path, body))
        .onFailure()
        .recoverWithUni(
            failure -> {
              Duration delay = retryDelay(method, failure, tryNo);
              if (delay == null) {
                logFinal(method, path, failure, tryNo);
                return Uni.createFrom().failure(failure);
              }
              LOG.warnf(
                  "hcloud request will be retried method=%s path=%s attempt=%d/%d retryInMs=%d"
                      + " cause=%s",
                  method, path, tryNo, retry.maxTries(), delay.toMillis(), describe(failure));
              return sleep(delay).chain(() -> attempt(method, path, body, tryNo + 1));
            });
  }

  private void logFinal(String method, String path, Throwable failure, int tryNo) {
    if (failure instanceof HcloudApiException
        && ((HcloudApiException) failure).code() == HcloudErrorCode.NOT_FOUND) {
      LOG.debugf("hcloud request not found method=%s path=%s", method, path);
      return;
    }
    if (tryNo > 1) {
      LOG.warnf(
          "hcloud request failed after retries method=%s path=%s attempts=%d cause=%s",
          method, path, tryNo, describe(failure));
    } else {
      // Callers see the exception and decide; no second WARN for what they will log anyway.
      LOG.debugf(
          "hcloud request failed method=%s path=%s cause=%s", method, path, describe(failure));
    }
  }

  private static String describe(Throwable t) {
    return t.getClass().getSimpleName() + ": " + t.getMessage();
  }

  /** Null when the failure must not be retried (or tries are used up), else the delay. */
  private Duration retryDelay(String method, Throwable failure, int tryNo) {
    if (tryNo >= retry.maxTries()) {
      return null;
    }
    if (failure instanceof RateLimitedException) {
      return ((RateLimitedException) failure).wait;
    }
    if (failure instanceof HcloudApiException) {
      return ((HcloudApiException) failure).isRetryable() ? Backoff.delay(retry, tryNo) : null;
    }
    if (failure instanceof HcloudNetworkException) {
      Throwable cause = failure.getCause();
      boolean neverSent = cause instanceof ConnectException;
      boolean idempotent = !"POST".equals(method);
      return neverSent || idempotent ? Backoff.delay(retry, tryNo) : null;
    }
    return null;
  }

  /** Takes one unit of the shared budget at subscription time, waiting while it is empty. */
  private Uni<Void> acquireBudget() {
    return Uni.createFrom()
        .deferred(
            () -> {
              long wait = budget.tryAcquire(retry.maxRateLimitWait().toMillis());
              if (wait <= 0) {
                return Uni.createFrom().voidItem();
              }
              LOG.debugf("hcloud rate-limit budget empty, waiting waitMs=%d", wait);
              return sleep(Duration.ofMillis(wait)).chain(this::acquireBudget);
            });
  }

  private Uni<JsonNode> once(String method, String path, JsonNode body) {
    return Uni.createFrom()
        .deferred(
            () -> {
              HcloudObserver.Attempt attempt =
                  observer.started(method, HcloudObserver.operation(method, path));
              int[] status = {0};
              return sendOnce(method, path, body, status)
                  .onItemOrFailure()
                  .invoke(
                      (item, failure) -> {
                        try {
                          attempt.ended(status[0], failure);
                        } catch (RuntimeException e) {
                          LOG.debugf("hcloud observer failed: %s", e);
                        }
                      });
            });
  }

  private Uni<JsonNode> sendOnce(String method, String path, JsonNode body, int[] status) {
    HttpRequest<Buffer> req =
        web.requestAbs(HttpMethod.valueOf(method), endpoint + path)
            .putHeader("Authorization", authorization)
            .putHeader("User-Agent", userAgent)
            .putHeader("Accept", "application/json")
            .timeout(timeoutMillis);
    Uni<HttpResponse<Buffer>> sent;
    if (body != null) {
      req.putHeader("Content-Type", "application/json");
      sent = req.sendBuffer(Buffer.buffer(Json.bytes(body)));
    } else {
      sent = req.send();
    }
    return sent.onFailure()
        .transform(
            t -> t instanceof HcloudException ? t : new HcloudNetworkException(method, path, t))
        .map(
            resp -> {
              status[0] = resp.statusCode();
              return handle(method, path, resp);
            });
  }

  private JsonNode handle(String method, String path, HttpResponse<Buffer> resp) {
    budget.update(
        resp.getHeader("RateLimit-Limit"),
        resp.getHeader("RateLimit-Remaining"),
        resp.getHeader("RateLimit-Reset"));
    int status = resp.statusCode();
    Buffer buf = resp.body();
    byte[] bytes = buf == null ? new byte[0] : buf.getBytes();
    if (status >= 200 && status < 300) {
      return Json.parse(bytes);
    }
    HcloudApiException error =
        Errors.fromResponse(method, path, status, bytes, resp.getHeader("X-Correlation-Id"));
    if (error.code() == HcloudErrorCode.RATE_LIMIT_EXCEEDED || status == 429) {
      long fallback = Backoff.delay(retry, 1).toMillis();
      long wait =
          budget.rateLimited(
              resp.getHeader("RateLimit-Reset"), fallback, retry.maxRateLimitWait().toMillis());
      throw new RateLimitedException(error, Duration.ofMillis(wait));
    }
    throw error;
  }

  /** Sleeps on a Vert.x timer without blocking any thread. */
  public Uni<Void> sleep(Duration d) {
    long ms = d.toMillis();
    if (ms <= 0) {
      return Uni.createFrom().voidItem();
    }
    return Uni.createFrom()
        .emitter(
            em -> {
              long id = vertx.setTimer(ms, t -> em.complete(null));
              em.onTermination(() -> vertx.cancelTimer(id));
            });
  }

  /** Closes the underlying web client. */
  public void close() {
    web.close();
  }

  /** A 429; carries the wait the budget decided on. Surfaces as its cause after the last try. */
  static final class RateLimitedException extends HcloudApiException {
    final Duration wait;

    RateLimitedException(HcloudApiException e, Duration wait) {
      super(
          e.code(),
          e.rawCode(),
          e.httpStatus(),
          e.apiMessage(),
          e.fields(),
          e.limits(),
          e.correlationId().orElse(null),
          e.method(),
          e.path());
      this.wait = wait;
    }
  }
}
