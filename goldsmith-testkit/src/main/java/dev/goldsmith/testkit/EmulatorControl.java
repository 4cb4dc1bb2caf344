package dev.goldsmith.testkit;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * A small client of the emulator's control API ({@code /_emulator}) plus raw reads of the public
 * API. Every answer is a plain JSON map.
 */
public final class EmulatorControl {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {};

  private final String baseUrl;
  private final String token;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  public EmulatorControl(String baseUrl, String token) {
    this.baseUrl = baseUrl;
    this.token = token;
  }

  /**
   * Adds an HTTP fault rule, e.g. {@code Map.of("method","POST","path","/servers","kind","error",
   * "status",503,"code","unavailable","count",1)}; returns the stored rule with its {@code id}.
   */
  public Map<String, Object> addFault(Map<String, Object> rule) {
    return send("POST", "/_emulator/faults", rule, 201);
  }

  /** The HTTP fault rules in force, each with its remaining count and times fired. */
  @SuppressWarnings("unchecked")
  public List<Map<String, Object>> faults() {
    return (List<Map<String, Object>>) send("GET", "/_emulator/faults", null, 200).get("faults");
  }

  public void removeFault(String id) {
    send("DELETE", "/_emulator/faults/" + id, null, 204);
  }

  public void clearFaults() {
    send("DELETE", "/_emulator/faults", null, 204);
  }

  /** Adds a backend (per-server) fault rule; its shape is the backend's (docs/emulator.md). */
  public Map<String, Object> addServerFault(Map<String, Object> rule) {
    return send("POST", "/_emulator/server-faults", rule, 201);
  }

  @SuppressWarnings("unchecked")
  public List<Map<String, Object>> serverFaults() {
    return (List<Map<String, Object>>)
        send("GET", "/_emulator/server-faults", null, 200).get("faults");
  }

  public void removeServerFault(String id) {
    send("DELETE", "/_emulator/server-faults/" + id, null, 204);
  }

  public void clearServerFaults() {
    send("DELETE", "/_emulator/server-faults", null, 204);
  }

  /**
   * {@code {total, by_endpoint:{"GET /v1/servers/{id}":n}, by_token:{key:{total,by_endpoint}}}}.
   */
  public Map<String, Object> counters() {
    return send("GET", "/_emulator/counters", null, 200);
  }

  /** Requests this emulator's token made so far (all endpoints). */
  @SuppressWarnings("unchecked")
  public long requestsOfToken() {
    Map<String, Object> byToken = (Map<String, Object>) counters().get("by_token");
    Map<String, Object> mine = (Map<String, Object>) byToken.get(tokenKey(token));
    return mine == null ? 0 : ((Number) mine.get("total")).longValue();
  }

  /** Requests to one endpoint, e.g. {@code "POST /v1/servers"} (all tokens). */
  @SuppressWarnings("unchecked")
  public long requests(String endpoint) {
    Map<String, Object> byEndpoint = (Map<String, Object>) counters().get("by_endpoint");
    Object n = byEndpoint.get(endpoint);
    return n == null ? 0 : ((Number) n).longValue();
  }

  public void resetCounters() {
    send("DELETE", "/_emulator/counters", null, 204);
  }

  /** Changes the rate limit: any of {@code enabled}, {@code limit}, {@code refill_per_second}. */
  public Map<String, Object> rateLimit(Map<String, Object> settings) {
    return send("POST", "/_emulator/rate-limit", settings, 200);
  }

  /** Forgets all resources (removing them from the backend), faults, counters and buckets. */
  public Map<String, Object> reset() {
    return send("POST", "/_emulator/reset", null, 200);
  }

  /** The whole state (all projects, keyed by token key). */
  public Map<String, Object> state() {
    return send("GET", "/_emulator/state", null, 200);
  }

  /** Every server of the project via {@code GET /v1/servers} (all pages). */
  public List<Map<String, Object>> servers() {
    return listAll("/v1/servers", "servers", "");
  }

  /** Servers matching a label selector. */
  public List<Map<String, Object>> servers(String labelSelector) {
    return listAll(
        "/v1/servers",
        "servers",
        "label_selector="
            + java.net.URLEncoder.encode(labelSelector, StandardCharsets.UTF_8)
            + "&");
  }

  /** Every image of the project via {@code GET /v1/images} (all pages; system images too). */
  public List<Map<String, Object>> images() {
    return listAll("/v1/images", "images", "include_deprecated=true&");
  }

  /** Snapshots only. */
  public List<Map<String, Object>> snapshots() {
    return listAll("/v1/images", "images", "type=snapshot&");
  }

  /** A raw GET of the public API, e.g. {@code get("/v1/servers/42")}; any status. */
  public Response get(String path) {
    return raw("GET", path, null);
  }

  /** A raw public-API request with the project token; any status. */
  public Response raw(String method, String path, Object body) {
    try {
      HttpRequest.Builder b =
          HttpRequest.newBuilder(URI.create(baseUrl + path))
              .timeout(Duration.ofSeconds(30))
              .header("Authorization", "Bearer " + token);
      if (body != null) {
        b.header("Content-Type", "application/json")
            .method(method, HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body)));
      } else {
        b.method(method, HttpRequest.BodyPublishers.noBody());
      }
      HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
      Map<String, Object> json =
          r.body() == null || r.body().isEmpty() ? Map.of() : JSON.readValue(r.body(), MAP);
      return new Response(r.statusCode(), json);
    } catch (IOException e) {
      throw new IllegalStateException(method + " " + path + " failed: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  /** A public-API answer: status and JSON body (empty for 204). */
  public record Response(int status, Map<String, Object> body) {}

  /** The key the emulator files a token's counters and state under (SHA-256, 12 hex digits). */
  public static String tokenKey(String token) {
    try {
      byte[] d =
          MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(d, 0, 6);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  @SuppressWarnings("unchecked")
  private List<Map<String, Object>> listAll(String path, String key, String query) {
    List<Map<String, Object>> all = new ArrayList<>();
    Integer page = 1;
    while (page != null) {
      Response r = raw("GET", path + "?" + query + "per_page=50&page=" + page, null);
      if (r.status() != 200) {
        throw new IllegalStateException(
            "GET " + path + " answered " + r.status() + ": " + r.body());
      }
      all.addAll((List<Map<String, Object>>) r.body().get(key));
      Map<String, Object> pagination =
          (Map<String, Object>) ((Map<String, Object>) r.body().get("meta")).get("pagination");
      Object next = pagination.get("next_page");
      page = next == null ? null : ((Number) next).intValue();
    }
    return all;
  }

  private Map<String, Object> send(String method, String path, Object body, int expected) {
    try {
      HttpRequest.Builder b =
          HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(Duration.ofSeconds(120));
      if (body != null) {
        b.header("Content-Type", "application/json")
            .method(method, HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body)));
      } else {
        b.method(method, HttpRequest.BodyPublishers.noBody());
      }
      HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() != expected) {
        throw new IllegalStateException(
            method + " " + path + " answered " + r.statusCode() + ": " + r.body());
      }
      return r.body() == null || r.body().isEmpty() ? Map.of() : JSON.readValue(r.body(), MAP);
    } catch (IOException e) {
      throw new IllegalStateException(method + " " + path + " failed: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
