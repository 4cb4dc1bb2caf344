package dev.goldsmith.hcloud.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * The rate-limit budget of one API project (endpoint + token), shared by every client in the
 * process. It learns the bucket from the {@code RateLimit-Limit}, {@code RateLimit-Remaining} and
 * {@code RateLimit-Reset} headers, spends one unit per request, refills at the rate the headers
 * imply, and makes callers wait for the next unit instead of provoking a 429. After a 429 every
 * caller waits until {@code RateLimit-Reset} (capped by the caller).
 */
public final class RateLimitBudget {

  private static final Map<String, RateLimitBudget> SHARED = new ConcurrentHashMap<>();

  private final LongSupplier clock;
  private int limit = -1;
  private int remainingAtUpdate;
  private long resetAtMillis;
  private long updatedAtMillis;
  private long refillIntervalMillis = 1000;
  private int spentSinceUpdate;
  private long blockedUntilMillis;

  RateLimitBudget(LongSupplier clock) {
    this.clock = clock;
  }

  /** The process-wide budget of a project; the token is only kept as a hash. */
  public static RateLimitBudget shared(String endpoint, String token) {
    return SHARED.computeIfAbsent(
        endpoint + "#" + sha256(token), k -> new RateLimitBudget(System::currentTimeMillis));
  }

  /** A budget not shared with anyone (tests). */
  public static RateLimitBudget isolated(LongSupplier clock) {
    return new RateLimitBudget(clock);
  }

  private static String sha256(String s) {
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(d, 0, 12);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Takes one unit if available and returns 0, or returns how many milliseconds to wait before
   * trying again. Never waits longer than {@code maxWaitMillis} per answer.
   */
  public synchronized long tryAcquire(long maxWaitMillis) {
    long now = clock.getAsLong();
    if (blockedUntilMillis > now) {
      return Math.min(maxWaitMillis, blockedUntilMillis - now);
    }
    if (limit < 0) {
      return 0; // nothing learned yet
    }
    long available = estimatedRemaining(now);
    if (available >= 1) {
      spentSinceUpdate++;
      return 0;
    }
    long elapsed = Math.max(0, now - updatedAtMillis);
    long untilNext = refillIntervalMillis - (elapsed % refillIntervalMillis);
    return Math.max(1, Math.min(maxWaitMillis, untilNext));
  }

  private long estimatedRemaining(long now) {
    long refilled = Math.max(0, now - updatedAtMillis) / refillIntervalMillis;
    long bucket = Math.min((long) limit, remainingAtUpdate + refilled);
    return bucket - spentSinceUpdate;
  }

  /** Learns from a response's headers (any may be null). */
  public synchronized void update(String limitHeader, String remainingHeader, String resetHeader) {
    Integer l = parseInt(limitHeader);
    Integer r = parseInt(remainingHeader);
    Long reset = parseLong(resetHeader);
    if (l == null || r == null || l <= 0) {
      return;
    }
    long now = clock.getAsLong();
    limit = l;
    remainingAtUpdate = Math.max(0, r);
    updatedAtMillis = now;
    spentSinceUpdate = 0;
    resetAtMillis = reset == null ? 0 : reset * 1000;
    long missing = (long) limit - remainingAtUpdate;
    // RateLimit-Reset has whole-second granularity and may be up to a second early, so the
    // interval is derived from one second later: conservative, never faster than the bucket.
    long fullAt = resetAtMillis + 1000;
    if (reset != null && missing > 0 && fullAt > now) {
      refillIntervalMillis = Math.max(1, (fullAt - now + missing - 1) / missing);
    } else {
      refillIntervalMillis = Math.max(1, 3_600_000L / limit);
    }
  }

  /**
   * A 429 arrived: block every caller until the reset time (or for {@code fallbackMillis} when the
   * header is missing), capped at {@code maxWaitMillis}. Returns the wait.
   */
  public synchronized long rateLimited(
      String resetHeader, long fallbackMillis, long maxWaitMillis) {
    long now = clock.getAsLong();
    Long reset = parseLong(resetHeader);
    long wait = reset == null ? fallbackMillis : reset * 1000 - now;
    wait = Math.max(1, Math.min(maxWaitMillis, wait));
    blockedUntilMillis = Math.max(blockedUntilMillis, now + wait);
    remainingAtUpdate = 0;
    spentSinceUpdate = 0;
    updatedAtMillis = now;
    return wait;
  }

  /** Estimated units left now; -1 while unknown. */
  public synchronized long remaining() {
    if (limit < 0) {
      return -1;
    }
    return Math.max(0, estimatedRemaining(clock.getAsLong()));
  }

  /** The limit learned from the headers; -1 while unknown. */
  public synchronized int limit() {
    return limit;
  }

  /** The last {@code RateLimit-Reset} in epoch milliseconds; 0 while unknown. */
  public synchronized long resetAtMillis() {
    return resetAtMillis;
  }

  private static Integer parseInt(String s) {
    Long l = parseLong(s);
    return l == null ? null : (int) Math.min(Integer.MAX_VALUE, l);
  }

  private static Long parseLong(String s) {
    if (s == null || s.isBlank()) {
      return null;
    }
    try {
      return Long.parseLong(s.trim());
    } catch (NumberFormatException e) {
      return null;
    }
  }
}
