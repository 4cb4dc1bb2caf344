package dev.goldsmith.provisioner.janitor;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;

import dev.goldsmith.provisioner.config.ProvisionerConfig;

/**
 * Asks the registry what it knows of a build: {@code GET {url}/api/builds/{buildId}}, its {@code
 * build.status} (terminal or in progress) or 404 (unknown). An optional bearer token is sent when
 * configured (the registry's reads are open unless it has read tokens). Anything else (connection
 * refused, timeout, 5xx, 401/403, an answer that does not parse) is {@link
 * BuildKnowledge#UNAVAILABLE}: the janitor then reaps nothing that carries a build id. The last
 * outcome is kept for the readiness check and the gauge {@code goldsmith.janitor.registry.up}.
 */
@ApplicationScoped
public class RegistryLookup {
  private final URI base;
  private final java.util.Optional<String> token;
  private final Duration timeout;
  private final HttpClient http;
  private final ObjectMapper json;
  private final Counter failures;
  private final AtomicReference<Failure> lastFailure = new AtomicReference<>();

  /** The last failed lookup; cleared by the next successful one. */
  public record Failure(Instant at, String error) {}

  @Inject
  public RegistryLookup(ProvisionerConfig config, ObjectMapper json, MeterRegistry registry) {
    ProvisionerConfig.Registry r = config.janitor().registry();
    String url = r.url().endsWith("/") ? r.url().substring(0, r.url().length() - 1) : r.url();
    this.base = URI.create(url);
    this.token = r.token().map(String::trim).filter(t -> !t.isEmpty());
    this.timeout = r.timeout();
    this.json = json;
    this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
    this.failures =
        Counter.builder("goldsmith.janitor.registry.failures")
            .description(
                "Registry lookups of the janitor that failed (nothing with a build id reaped)")
            .register(registry);
    Gauge.builder("goldsmith.janitor.registry.up", lastFailure, f -> f.get() == null ? 1 : 0)
        .description("1 while the janitor's last registry lookup succeeded, else 0")
        .register(registry);
  }

  /** What the registry says of {@code buildId}; never fails. */
  public Uni<BuildKnowledge> lookup(UUID buildId) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(base + "/api/builds/" + buildId))
            .timeout(timeout)
            .header("Accept", "application/json")
            .GET();
    token.ifPresent(t -> request.header("Authorization", "Bearer " + t));
    return Uni.createFrom()
        .completionStage(
            () -> http.sendAsync(request.build(), HttpResponse.BodyHandlers.ofString()))
        .map(response -> knowledge(buildId, response.statusCode(), response.body()))
        .onFailure()
        .recoverWithItem(
            e -> failed(buildId, e.getClass().getSimpleName() + ": " + e.getMessage()));
  }

  BuildKnowledge knowledge(UUID buildId, int status, String body) {
    if (status == 404) {
      lastFailure.set(null);
      return BuildKnowledge.UNKNOWN;
    }
    if (status != 200) {
      return failed(buildId, "HTTP " + status);
    }
    try {
      JsonNode root = json.readTree(body);
      JsonNode s = root.path("build").path("status");
      if (!s.isTextual()) {
        s = root.path("status");
      }
      if (!s.isTextual()) {
        return failed(buildId, "answer without build.status");
      }
      lastFailure.set(null);
      return BuildKnowledge.ofStatus(s.asText());
    } catch (Exception e) {
      return failed(buildId, "answer does not parse: " + e.getClass().getSimpleName());
    }
  }

  private BuildKnowledge failed(UUID buildId, String error) {
    failures.increment();
    lastFailure.set(new Failure(Instant.now(), error));
    Log.warnf(
        "janitor cannot ask the registry, reaping nothing of build %s this round: url=%s error=%s",
        buildId, base, error);
    return BuildKnowledge.UNAVAILABLE;
  }

  /** The last failed lookup, empty while the registry answers. */
  public java.util.Optional<Failure> lastFailure() {
    return java.util.Optional.ofNullable(lastFailure.get());
  }

  /** The registry's base URL (for logs and health). */
  public URI url() {
    return base;
  }
}
