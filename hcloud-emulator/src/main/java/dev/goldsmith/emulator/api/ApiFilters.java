package dev.goldsmith.emulator.api;

import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Collectors;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;

import io.smallrye.mutiny.Uni;

import dev.goldsmith.emulator.config.EmulatorConfig;
import dev.goldsmith.emulator.control.Counters;
import dev.goldsmith.emulator.control.Faults;
import dev.goldsmith.emulator.control.RateLimiter;
import dev.goldsmith.emulator.state.Project;
import dev.goldsmith.emulator.state.Store;

/**
 * Cross-cutting behaviour of {@code /v1}: request counters, bearer-token authentication, read-only
 * tokens, the rate limit and its headers, fault injection, and correlation ids.
 */
public class ApiFilters {
  private static final String DECISION = "emulator.ratelimit";

  private final Store store;
  private final RateLimiter rateLimiter;
  private final Counters counters;
  private final Faults faults;
  private final RequestContext request;
  private final Set<String> readOnlyKeys;

  public ApiFilters(
      Store store,
      RateLimiter rateLimiter,
      Counters counters,
      Faults faults,
      RequestContext request,
      EmulatorConfig config) {
    this.store = store;
    this.rateLimiter = rateLimiter;
    this.counters = counters;
    this.faults = faults;
    this.request = request;
    this.readOnlyKeys =
        config.readOnlyTokens().orElse(List.of()).stream()
            .map(Store::keyOf)
            .collect(Collectors.toUnmodifiableSet());
  }

  @ServerRequestFilter(preMatching = true)
  public Uni<Response> filter(ContainerRequestContext ctx) {
    String path = ctx.getUriInfo().getPath();
    if (!path.equals("/v1") && !path.startsWith("/v1/")) {
      return Uni.createFrom().nullItem();
    }
    String method = ctx.getMethod();
    String endpoint = Counters.endpoint(method, path);
    String auth = ctx.getHeaderString(HttpHeaders.AUTHORIZATION);
    String token =
        auth != null && auth.regionMatches(true, 0, "Bearer ", 0, 7)
            ? auth.substring(7).trim()
            : "";
    String key = token.isEmpty() ? null : Store.keyOf(token);
    Project project = key == null ? null : store.project(key).orElse(null);
    if (project == null) {
      counters.record(endpoint, "unauthenticated");
      ctx.setProperty(DECISION, rateLimiter.full());
      return abort(401, "unauthorized", "unable to authenticate");
    }
    counters.record(endpoint, key);
    RateLimiter.Decision decision = rateLimiter.take(key);
    ctx.setProperty(DECISION, decision);
    if (!decision.allowed()) {
      return abort(
          429,
          "rate_limit_exceeded",
          "Limit of '" + decision.limit() + "' requests per hour reached.");
    }
    if (readOnlyKeys.contains(key) && !method.equals("GET") && !method.equals("HEAD")) {
      return abort(403, "token_readonly", "The token is read-only.");
    }
    request.project(project);
    Faults.Rule rule = faults.fire(method, path.substring(3).isEmpty() ? "/" : path.substring(3));
    if (rule == null) {
      return Uni.createFrom().nullItem();
    }
    Uni<Response> effect;
    switch (rule.kind()) {
      case ERROR -> effect = abort(rule.status(), rule.code(), rule.message());
      case RATE_LIMIT -> {
        ctx.setProperty(
            DECISION, new RateLimiter.Decision(false, decision.limit(), 0, decision.reset()));
        effect = abort(rule.status(), rule.code(), rule.message());
      }
      case ACTION_ERROR -> {
        request.forcedActionError(rule.message());
        effect = Uni.createFrom().nullItem();
      }
      case LATENCY -> effect = Uni.createFrom().nullItem();
      default -> throw new IllegalStateException("unknown fault kind " + rule.kind());
    }
    if (rule.latencyMs() > 0) {
      return Uni.createFrom()
          .voidItem()
          .onItem()
          .delayIt()
          .by(Duration.ofMillis(rule.latencyMs()))
          .chain(() -> effect);
    }
    return effect;
  }

  private static Uni<Response> abort(int status, String code, String message) {
    return Uni.createFrom().item(ErrorMappers.envelope(status, code, message, null));
  }

  @ServerResponseFilter
  public void headers(ContainerRequestContext req, ContainerResponseContext res) {
    Object d = req.getProperty(DECISION);
    if (d instanceof RateLimiter.Decision decision) {
      res.getHeaders().putSingle("RateLimit-Limit", decision.limit());
      res.getHeaders().putSingle("RateLimit-Remaining", decision.remaining());
      res.getHeaders().putSingle("RateLimit-Reset", decision.reset());
      byte[] id = new byte[8];
      ThreadLocalRandom.current().nextBytes(id);
      res.getHeaders().putSingle("X-Correlation-Id", HexFormat.of().formatHex(id));
    }
    if (res.getStatus() == 204) {
      res.getHeaders().remove(HttpHeaders.CONTENT_TYPE);
      res.setEntity(null);
    }
  }
}
