package dev.goldsmith.e2e;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** A small JSON-over-HTTP helper for the registry API and the emulator's APIs. */
final class Http {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpClient client =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  record Response(int status, JsonNode body) {}

  Response get(String url, String bearer) throws IOException, InterruptedException {
    return send(HttpRequest.newBuilder(URI.create(url)).GET(), bearer);
  }

  Response post(String url, String bearer, Object body) throws IOException, InterruptedException {
    return send(
        HttpRequest.newBuilder(URI.create(url))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))),
        bearer);
  }

  private Response send(HttpRequest.Builder b, String bearer)
      throws IOException, InterruptedException {
    if (bearer != null) {
      b.header("Authorization", "Bearer " + bearer);
    }
    HttpResponse<String> r =
        client.send(
            b.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    JsonNode body = r.body() == null || r.body().isBlank() ? null : JSON.readTree(r.body());
    return new Response(r.statusCode(), body);
  }
}
