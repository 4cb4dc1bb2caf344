package dev.goldsmith.cli;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedDeque;

import com.sun.net.httpserver.HttpServer;

/**
 * A registry on loopback that answers scripted responses per "METHOD path" (a queue: the last one
 * repeats) and records every request.
 */
final class FakeRegistry implements AutoCloseable {
  record Call(String method, String path, String authorization, String body) {}

  record Reply(int status, String contentType, String body) {}

  private final HttpServer server;
  private final Map<String, Deque<Reply>> replies = new LinkedHashMap<>();
  final List<Call> calls = new ArrayList<>();

  FakeRegistry() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/",
        ex -> {
          String key =
              ex.getRequestMethod()
                  + " "
                  + ex.getRequestURI().getRawPath()
                  + (ex.getRequestURI().getRawQuery() == null
                      ? ""
                      : "?" + ex.getRequestURI().getRawQuery());
          String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
          Reply r;
          synchronized (this) {
            calls.add(
                new Call(
                    ex.getRequestMethod(),
                    key.substring(key.indexOf(' ') + 1),
                    ex.getRequestHeaders().getFirst("Authorization"),
                    body));
            Deque<Reply> q = replies.get(key);
            if (q == null) {
              r =
                  new Reply(
                      404,
                      "application/problem+json",
                      "{\"type\":\"https://goldsmith.dev/problems/not-found\",\"title\":\"Not"
                          + " Found\",\"status\":404,\"detail\":\"no route "
                          + key
                          + "\"}");
            } else {
              r = q.size() > 1 ? q.poll() : q.peek();
            }
          }
          byte[] out = r.body().getBytes(StandardCharsets.UTF_8);
          ex.getResponseHeaders().set("Content-Type", r.contentType());
          ex.sendResponseHeaders(r.status(), out.length == 0 ? -1 : out.length);
          if (out.length > 0) {
            ex.getResponseBody().write(out);
          }
          ex.close();
        });
    server.start();
  }

  /** Adds a reply to "METHOD path?query". */
  synchronized FakeRegistry on(String methodAndPath, int status, String body) {
    replies
        .computeIfAbsent(methodAndPath, k -> new ConcurrentLinkedDeque<>())
        .add(
            new Reply(
                status, status >= 400 ? "application/problem+json" : "application/json", body));
    return this;
  }

  String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  synchronized List<Call> calls(String method) {
    return calls.stream().filter(c -> c.method().equals(method)).toList();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
