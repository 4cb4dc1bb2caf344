package dev.goldsmith.hcloud;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.function.Consumer;

import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.core.http.HttpServer;

/**
 * A loopback HTTP server that answers with a script of responses, in order, and records every
 * request. It fails (500 "unscripted") on any request beyond the script; {@link #assertDone()}
 * fails when scripted responses were left unused. After B's mockutil.
 */
public final class ScriptedServer implements AutoCloseable {

  /** A recorded request. */
  public record Seen(String method, String uri, MultiMap headers, String body, long atMillis) {}

  /** One scripted answer; {@code action} may close the connection instead of answering. */
  public record Step(
      String method,
      String uriPrefix,
      int status,
      String body,
      Map<String, String> headers,
      Consumer<HttpServerRequest> action) {}

  private final Vertx vertx;
  private final HttpServer server;
  private final Deque<Step> script = new ConcurrentLinkedDeque<>();
  private final List<Seen> seen = Collections.synchronizedList(new ArrayList<>());
  private final List<String> problems = Collections.synchronizedList(new ArrayList<>());

  public ScriptedServer(Vertx vertx) {
    this.vertx = vertx;
    this.server =
        vertx
            .createHttpServer()
            .requestHandler(
                r ->
                    r.getDelegate()
                        .body()
                        .onComplete(
                            b ->
                                handle(
                                    r.getDelegate(), b.succeeded() ? b.result().toString() : "")))
            .listenAndAwait(0, "127.0.0.1");
  }

  private void handle(HttpServerRequest req, String body) {
    seen.add(
        new Seen(
            req.method().name(),
            req.uri(),
            MultiMap.caseInsensitiveMultiMap().addAll(req.headers()),
            body,
            System.currentTimeMillis()));
    Step step = script.pollFirst();
    if (step == null) {
      problems.add("unscripted " + req.method() + " " + req.uri());
      req.response()
          .setStatusCode(500)
          .end("{\"error\":{\"code\":\"unscripted\",\"message\":\"x\",\"details\":null}}");
      return;
    }
    if (!step.method().equals(req.method().name()) || !req.uri().startsWith(step.uriPrefix())) {
      problems.add(
          "expected "
              + step.method()
              + " "
              + step.uriPrefix()
              + " but got "
              + req.method()
              + " "
              + req.uri());
    }
    if (step.action() != null) {
      step.action().accept(req);
      return;
    }
    var resp = req.response().setStatusCode(step.status());
    step.headers().forEach(resp::putHeader);
    if (step.body() == null) {
      resp.end();
    } else {
      resp.putHeader("Content-Type", "application/json").end(step.body());
    }
  }

  /** Base URL as the client's endpoint, e.g. {@code http://127.0.0.1:4711/v1}. */
  public String endpoint() {
    return "http://127.0.0.1:" + server.actualPort() + "/v1";
  }

  public ScriptedServer expect(String method, String uriPrefix, int status, String body) {
    return expect(method, uriPrefix, status, body, Map.of());
  }

  public ScriptedServer expect(
      String method, String uriPrefix, int status, String body, Map<String, String> headers) {
    script.addLast(new Step(method, "/v1" + uriPrefix, status, body, headers, null));
    return this;
  }

  /** The server closes the connection without answering. */
  public ScriptedServer expectAndDrop(String method, String uriPrefix) {
    script.addLast(
        new Step(method, "/v1" + uriPrefix, 0, null, Map.of(), r -> r.connection().close()));
    return this;
  }

  public List<Seen> seen() {
    synchronized (seen) {
      return List.copyOf(seen);
    }
  }

  /** Throws when a request did not match or scripted steps were not used. */
  public void assertDone() {
    List<String> all = new ArrayList<>(problems);
    if (!script.isEmpty()) {
      all.add(script.size() + " scripted responses not requested");
    }
    if (!all.isEmpty()) {
      throw new AssertionError(String.join("; ", all));
    }
  }

  @Override
  public void close() {
    server.closeAndAwait();
  }

  public static String error(String code, String message) {
    return "{\"error\":{\"code\":\""
        + code
        + "\",\"message\":\""
        + message
        + "\",\"details\":null}}";
  }

  public static String action(long id, String status) {
    String error =
        status.equals("error")
            ? "{\"code\":\"action_failed\",\"message\":\"Action failed\"}"
            : "null";
    String finished = status.equals("running") ? "null" : "\"2026-03-02T10:21:09+00:00\"";
    return "{\"id\":"
        + id
        + ",\"command\":\"start_server\",\"status\":\""
        + status
        + "\",\"progress\":"
        + (status.equals("running") ? 10 : 100)
        + ",\"started\":\"2026-03-02T10:21:00+00:00\",\"finished\":"
        + finished
        + ",\"resources\":[{\"id\":1,\"type\":\"server\"}],\"error\":"
        + error
        + "}";
  }

  public static String actions(String... items) {
    return "{\"actions\":["
        + String.join(",", items)
        + "],\"meta\":{\"pagination\":{\"page\":1,"
        + "\"per_page\":50,\"previous_page\":null,\"next_page\":null,\"last_page\":1,"
        + "\"total_entries\":"
        + items.length
        + "}}}";
  }
}
