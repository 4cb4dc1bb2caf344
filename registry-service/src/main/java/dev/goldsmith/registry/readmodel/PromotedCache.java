package dev.goldsmith.registry.readmodel;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * The promoted image of each family, kept in memory as the JSON body the API answers and its entity
 * tag. A family's entry is loaded on the first lookup, dropped by {@link #invalidate} (after the
 * commit of every change to one of the family's versions on this instance) and reloaded after
 * {@code ttl} at the latest, which bounds how long a change made by another registry instance goes
 * unseen.
 *
 * <p>A lookup that loaded from the database while the family was invalidated does not store what it
 * read: every invalidation advances the family's generation before it drops the entry, and an entry
 * is stored only if the generation it was loaded under is still current. The comparison and the
 * store are one atomic step on the map, as is the drop, so no stale value survives an invalidation.
 *
 * @param <T> the promoted image as the loader gives it
 */
public final class PromotedCache<T> {

  /** A family's lookup: the image (empty: no promoted version), its JSON body and entity tag. */
  public record Lookup<T>(Optional<T> image, String json, String etag) {
    /**
     * Whether an {@code If-None-Match} header value matches this lookup's tag (weak comparison).
     */
    public boolean matches(String ifNoneMatch) {
      if (image.isEmpty() || ifNoneMatch == null || ifNoneMatch.isBlank()) {
        return false;
      }
      String mine = opaque(etag);
      for (String part : ifNoneMatch.split(",")) {
        String tag = part.trim();
        if (tag.equals("*") || opaque(tag).equals(mine)) {
          return true;
        }
      }
      return false;
    }

    private static String opaque(String tag) {
      return tag.startsWith("W/") ? tag.substring(2) : tag;
    }
  }

  private record Entry<T>(Lookup<T> lookup, long loadedAt) {}

  private final Function<String, Optional<T>> loader;
  private final Function<T, String> toJson;
  private final long ttlNanos;
  private final LongSupplier nanoClock;
  private final ConcurrentHashMap<String, Entry<T>> entries = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, AtomicLong> generations = new ConcurrentHashMap<>();

  /**
   * @param loader reads a family's promoted image from the database
   * @param toJson the API's JSON body of an image
   * @param ttl how long an entry is served before it is read again; zero: never cached
   * @param nanoClock {@link System#nanoTime}, replaced in tests
   */
  public PromotedCache(
      Function<String, Optional<T>> loader,
      Function<T, String> toJson,
      Duration ttl,
      LongSupplier nanoClock) {
    this.loader = loader;
    this.toJson = toJson;
    this.ttlNanos = ttl.toNanos();
    this.nanoClock = nanoClock;
  }

  /** The family's promoted image, from memory when the entry is fresh. */
  public Lookup<T> lookup(String family) {
    long now = nanoClock.getAsLong();
    Entry<T> cached = entries.get(family);
    if (cached != null && now - cached.loadedAt() < ttlNanos) {
      return cached.lookup();
    }
    AtomicLong generation = generations.computeIfAbsent(family, f -> new AtomicLong());
    long loadedUnder = generation.get();
    Optional<T> image = loader.apply(family);
    String json = image.map(toJson).orElse(null);
    Lookup<T> lookup = new Lookup<>(image, json, json == null ? null : etagOf(json));
    if (ttlNanos > 0) {
      Entry<T> fresh = new Entry<>(lookup, now);
      entries.compute(family, (f, old) -> generation.get() == loadedUnder ? fresh : old);
    }
    return lookup;
  }

  /** Forgets the family's entry; a lookup loading meanwhile does not store what it read. */
  public void invalidate(String family) {
    generations.computeIfAbsent(family, f -> new AtomicLong()).incrementAndGet();
    entries.compute(family, (f, old) -> null);
  }

  /** How many families have an entry (for tests and metrics). */
  public int size() {
    return entries.size();
  }

  /** A strong entity tag of a body: the first 128 bits of its SHA-256, quoted. */
  static String etagOf(String json) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(json.getBytes(StandardCharsets.UTF_8));
      return "\"" + HexFormat.of().formatHex(digest, 0, 16) + "\"";
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
