package dev.goldsmith.emulator.control;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * Request counters of the public API: in total, per endpoint ({@code "GET /v1/servers/{id}"}), per
 * token key, and per token key and endpoint.
 */
@ApplicationScoped
public class Counters {
  private final AtomicLong total = new AtomicLong();
  private final Map<String, AtomicLong> byEndpoint = new ConcurrentHashMap<>();
  private final Map<String, Map<String, AtomicLong>> byToken = new ConcurrentHashMap<>();

  public void record(String endpoint, String tokenKey) {
    total.incrementAndGet();
    byEndpoint.computeIfAbsent(endpoint, k -> new AtomicLong()).incrementAndGet();
    byToken
        .computeIfAbsent(tokenKey, k -> new ConcurrentHashMap<>())
        .computeIfAbsent(endpoint, k -> new AtomicLong())
        .incrementAndGet();
  }

  /** {@code METHOD /path} with every all-digit segment replaced by {@code {id}}. */
  public static String endpoint(String method, String path) {
    StringBuilder b = new StringBuilder(method).append(' ');
    String[] parts = path.split("/", -1);
    for (int i = 0; i < parts.length; i++) {
      if (i > 0) {
        b.append('/');
      }
      String p = parts[i];
      b.append(!p.isEmpty() && p.chars().allMatch(Character::isDigit) ? "{id}" : p);
    }
    return b.toString();
  }

  public Map<String, Object> snapshot() {
    Map<String, Object> out = new TreeMap<>();
    out.put("total", total.get());
    Map<String, Long> endpoints = new TreeMap<>();
    byEndpoint.forEach((k, v) -> endpoints.put(k, v.get()));
    out.put("by_endpoint", endpoints);
    Map<String, Object> tokens = new TreeMap<>();
    byToken.forEach(
        (token, m) -> {
          Map<String, Long> e = new TreeMap<>();
          long sum = 0;
          for (Map.Entry<String, AtomicLong> x : m.entrySet()) {
            e.put(x.getKey(), x.getValue().get());
            sum += x.getValue().get();
          }
          tokens.put(token, Map.of("total", sum, "by_endpoint", e));
        });
    out.put("by_token", tokens);
    return out;
  }

  public void reset() {
    total.set(0);
    byEndpoint.clear();
    byToken.clear();
  }
}
