package dev.goldsmith.provisioner.janitor;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * A stand-in for the registry's {@code GET /api/builds/{buildId}}: answers {@code
 * {"build":{"buildId":…,"status":…}}} for the builds a test declares, 404 for the others, and 503
 * to everything while {@link #down} is set. Started once for the test application (it is a global
 * test resource) and points {@code goldsmith.provisioner.janitor.registry.url} at itself.
 */
public class StandInRegistry implements QuarkusTestResourceLifecycleManager {
  /** Declared statuses, e.g. {@code CONFIGURED} (active) or {@code FAILED} (terminal). */
  public static final Map<UUID, String> STATUSES = new ConcurrentHashMap<>();

  /** While true, every request gets 503. */
  public static volatile boolean down;

  /** Requests served (any answer). */
  public static final AtomicInteger REQUESTS = new AtomicInteger();

  private HttpServer server;

  @Override
  public Map<String, String> start() {
    try {
      server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    server.createContext("/api/builds/", StandInRegistry::answer);
    server.start();
    return Map.of(
        "goldsmith.provisioner.janitor.registry.url",
        "http://127.0.0.1:" + server.getAddress().getPort());
  }

  private static void answer(HttpExchange exchange) throws IOException {
    REQUESTS.incrementAndGet();
    String id = exchange.getRequestURI().getPath().substring("/api/builds/".length());
    int code;
    String body;
    String status = null;
    try {
      status = STATUSES.get(UUID.fromString(id));
    } catch (IllegalArgumentException e) {
      // not a UUID: 404 below
    }
    if (down) {
      code = 503;
      body = "{\"error\":\"unavailable\"}";
    } else if (status == null) {
      code = 404;
      body = "{\"error\":\"not_found\",\"message\":\"no build " + id + "\"}";
    } else {
      code = 200;
      body = "{\"build\":{\"buildId\":\"" + id + "\",\"status\":\"" + status + "\"}}";
    }
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().add("Content-Type", "application/json");
    exchange.sendResponseHeaders(code, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  @Override
  public void stop() {
    if (server != null) {
      server.stop(0);
    }
  }
}
