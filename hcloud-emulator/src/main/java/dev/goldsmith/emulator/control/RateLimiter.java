package dev.goldsmith.emulator.control;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;

import dev.goldsmith.emulator.config.EmulatorConfig;

/**
 * A token bucket per project: {@code limit} requests, refilled by {@code refillPerSecond}. The
 * headers are computed always; a request is refused only while enforcement is on. Settings can be
 * changed at run time through the control API.
 */
@ApplicationScoped
public class RateLimiter {
  private volatile boolean enabled;
  private volatile int limit;
  private volatile double refillPerSecond;
  private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

  public RateLimiter(EmulatorConfig config) {
    this.enabled = config.rateLimit().enabled();
    this.limit = config.rateLimit().limit();
    this.refillPerSecond = config.rateLimit().refillPerSecond();
  }

  /** The outcome of one request: allowed or not, and the three header values. */
  public record Decision(boolean allowed, int limit, int remaining, long reset) {}

  private static final class Bucket {
    double tokens;
    long last;
  }

  public Decision take(String key) {
    Bucket b =
        buckets.computeIfAbsent(
            key,
            k -> {
              Bucket n = new Bucket();
              n.tokens = limit;
              n.last = System.nanoTime();
              return n;
            });
    synchronized (b) {
      long now = System.nanoTime();
      b.tokens = Math.min(limit, b.tokens + (now - b.last) / 1e9 * refillPerSecond);
      b.last = now;
      boolean allowed = true;
      if (b.tokens >= 1) {
        b.tokens -= 1;
      } else if (enabled) {
        allowed = false;
      }
      return new Decision(allowed, limit, (int) Math.floor(b.tokens), reset(b.tokens));
    }
  }

  /** Headers for a request that has no bucket (e.g. unauthenticated). */
  public Decision full() {
    return new Decision(true, limit, limit, System.currentTimeMillis() / 1000);
  }

  private long reset(double tokens) {
    double seconds = refillPerSecond <= 0 ? 0 : (limit - tokens) / refillPerSecond;
    return System.currentTimeMillis() / 1000 + (long) Math.ceil(seconds);
  }

  public synchronized void configure(Boolean enabled, Integer limit, Double refillPerSecond) {
    if (enabled != null) {
      this.enabled = enabled;
    }
    if (limit != null) {
      this.limit = limit;
    }
    if (refillPerSecond != null) {
      this.refillPerSecond = refillPerSecond;
    }
    buckets.clear();
  }

  /** Refills every bucket. */
  public void reset() {
    buckets.clear();
  }

  public Map<String, Object> settings() {
    return Map.of("enabled", enabled, "limit", limit, "refill_per_second", refillPerSecond);
  }
}
