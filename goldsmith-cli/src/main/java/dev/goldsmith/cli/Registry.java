package dev.goldsmith.cli;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The registry's REST API over {@link HttpClient}. Every error becomes a {@link CliException}
 * carrying one line: the problem+json detail for a refusal, the address for an unreachable
 * registry.
 */
public final class Registry {
  static final ObjectMapper JSON = new ObjectMapper().findAndRegisterModules();

  private final String base;
  private final String token;
  private final HttpClient http;

  public Registry(String base, String token) {
    this.base = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
    this.token = token == null || token.isBlank() ? null : token.trim();
    this.http =
        HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(5))
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
  }

  public String base() {
    return base;
  }

  /** GET a JSON resource; any status but 2xx is an error. */
  public JsonNode get(String path) {
    return find(path)
        .orElseThrow(() -> new CliException(ExitCode.FAILED_REQUEST, "not found: " + path));
  }

  /** GET a JSON resource; empty on 404, an error on any other non-2xx status. */
  public Optional<JsonNode> find(String path) {
    Answer a = send(request(path).GET().build());
    if (a.status == 404) {
      return Optional.empty();
    }
    return Optional.of(a.json(path));
  }

  /** GET a resource that may be absent; the problem line of a 404 is kept for the caller. */
  public Answer fetch(String path) {
    return send(request(path).GET().build());
  }

  /** POST a JSON body; any status but 2xx is an error. */
  public JsonNode post(String path, Object body) {
    String text;
    try {
      text = JSON.writeValueAsString(body);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    Answer a =
        send(
            request(path)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(text))
                .build());
    return a.json(path);
  }

  private HttpRequest.Builder request(String path) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(base + path))
            .timeout(Duration.ofSeconds(30))
            .header("Accept", "application/json, application/problem+json");
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    return b;
  }

  private Answer send(HttpRequest request) {
    try {
      HttpResponse<String> r =
          http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
      return new Answer(r.statusCode(), r.body());
    } catch (ConnectException | HttpConnectTimeoutException e) {
      throw unreachable();
    } catch (HttpTimeoutException e) {
      throw new CliException(
          ExitCode.UNREACHABLE, "registry at " + base + " did not answer within 30 s");
    } catch (IOException e) {
      if (e.getCause() instanceof ConnectException) {
        throw unreachable();
      }
      throw new CliException(
          ExitCode.UNREACHABLE, "registry at " + base + ": " + oneLine(e.getMessage()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CliException(ExitCode.UNREACHABLE, "interrupted");
    }
  }

  private CliException unreachable() {
    return new CliException(
        ExitCode.UNREACHABLE,
        "registry unreachable at "
            + base
            + " (set GOLDSMITH_REGISTRY or --registry; is the stack up?)");
  }

  /** A status and a body. */
  public record Answer(int status, String body) {
    public boolean ok() {
      return status >= 200 && status < 300;
    }

    /** The body as JSON when the status is 2xx, else the problem's one line as an error. */
    JsonNode json(String path) {
      if (!ok()) {
        throw new CliException(ExitCode.FAILED_REQUEST, problemLine(status, body));
      }
      try {
        return JSON.readTree(body);
      } catch (IOException e) {
        throw new CliException(
            ExitCode.FAILED_REQUEST, "the registry answered " + path + " with no JSON");
      }
    }
  }

  /**
   * One line from an error answer: the problem+json title, status, detail and every field problem;
   * the start of the body when it is not a problem.
   */
  public static String problemLine(int status, String body) {
    JsonNode p = null;
    try {
      p = body == null || body.isBlank() ? null : JSON.readTree(body);
    } catch (IOException e) {
      // not JSON: shown as text below
    }
    if (p == null || !p.isObject() || !(p.has("title") || p.has("detail"))) {
      String text = body == null ? "" : oneLine(body);
      if (text.length() > 200) {
        text = text.substring(0, 200) + "…";
      }
      return "HTTP " + status + (text.isEmpty() ? "" : ": " + text);
    }
    StringBuilder line = new StringBuilder();
    line.append(p.path("title").asText("HTTP " + status));
    line.append(" (").append(p.path("status").asInt(status)).append(")");
    String detail = p.path("detail").asText("");
    if (!detail.isEmpty()) {
      line.append(": ").append(oneLine(detail));
    }
    for (JsonNode e : p.path("errors")) {
      line.append("; ")
          .append(e.path("field").asText("?"))
          .append(": ")
          .append(oneLine(e.path("message").asText("")));
    }
    return line.toString();
  }

  static String oneLine(String s) {
    return s == null ? "" : s.replaceAll("\\s*\\R\\s*", " ").trim();
  }
}
