package dev.goldsmith.registry.readmodel;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

import org.junit.jupiter.api.Test;

class PromotedCacheTest {
  private final Map<String, String> db = new ConcurrentHashMap<>();
  private final AtomicInteger loads = new AtomicInteger();
  private final AtomicLong now = new AtomicLong();

  private PromotedCache<String> cache(Duration ttl, Function<String, Optional<String>> loader) {
    return new PromotedCache<>(loader, v -> "{\"version\":\"" + v + "\"}", ttl, now::get);
  }

  private Optional<String> fromDb(String family) {
    loads.incrementAndGet();
    return Optional.ofNullable(db.get(family));
  }

  @Test
  void aFreshEntryIsServedFromMemoryAndReadAgainAfterTheTtl() {
    PromotedCache<String> cache = cache(Duration.ofSeconds(1), this::fromDb);
    db.put("vault-base", "v1");
    PromotedCache.Lookup<String> first = cache.lookup("vault-base");
    assertThat(first.image()).contains("v1");
    assertThat(first.json()).isEqualTo("{\"version\":\"v1\"}");
    assertThat(first.etag()).matches("\"[0-9a-f]{32}\"");
    db.put("vault-base", "v2");
    now.addAndGet(Duration.ofMillis(999).toNanos());
    assertThat(cache.lookup("vault-base").image()).as("within the ttl").contains("v1");
    assertThat(loads).hasValue(1);
    now.addAndGet(Duration.ofMillis(1).toNanos());
    PromotedCache.Lookup<String> later = cache.lookup("vault-base");
    assertThat(later.image()).as("after the ttl").contains("v2");
    assertThat(later.etag()).isNotEqualTo(first.etag());
    assertThat(loads).hasValue(2);
  }

  @Test
  void anInvalidatedFamilyIsReadAgainAtOnceAndNoOtherFamilyIs() {
    PromotedCache<String> cache = cache(Duration.ofHours(1), this::fromDb);
    db.put("a", "v1");
    db.put("b", "v7");
    cache.lookup("a");
    cache.lookup("b");
    db.put("a", "v2");
    cache.invalidate("a");
    assertThat(cache.lookup("a").image()).contains("v2");
    assertThat(cache.lookup("b").image()).contains("v7");
    assertThat(loads).hasValue(3);
  }

  @Test
  void noPromotedVersionIsCachedToo() {
    PromotedCache<String> cache = cache(Duration.ofHours(1), this::fromDb);
    PromotedCache.Lookup<String> none = cache.lookup("a");
    assertThat(none.image()).isEmpty();
    assertThat(none.json()).isNull();
    assertThat(none.matches("*")).as("nothing matches an absent image").isFalse();
    cache.lookup("a");
    assertThat(loads).hasValue(1);
    db.put("a", "v1");
    cache.invalidate("a");
    assertThat(cache.lookup("a").image()).contains("v1");
  }

  @Test
  void aLoadThatRacesAnInvalidationDoesNotStoreWhatItRead() {
    PromotedCache<String>[] holder = new PromotedCache[1];
    db.put("a", "v1");
    // The load reads v1, then the promotion of v2 commits and invalidates before the load stores.
    holder[0] =
        cache(
            Duration.ofHours(1),
            family -> {
              Optional<String> read = fromDb(family);
              if (loads.get() == 1) {
                db.put("a", "v2");
                holder[0].invalidate("a");
              }
              return read;
            });
    assertThat(holder[0].lookup("a").image())
        .as("the racing load answers what it read")
        .contains("v1");
    assertThat(holder[0].size()).as("but does not keep it").isZero();
    assertThat(holder[0].lookup("a").image()).contains("v2");
    assertThat(loads).hasValue(2);
  }

  @Test
  void aZeroTtlReadsEveryTime() {
    PromotedCache<String> cache = cache(Duration.ZERO, this::fromDb);
    db.put("a", "v1");
    cache.lookup("a");
    cache.lookup("a");
    assertThat(loads).hasValue(2);
    assertThat(cache.size()).isZero();
  }

  @Test
  void ifNoneMatchComparesWeaklyAndTakesListsAndTheWildcard() {
    PromotedCache<String> cache = cache(Duration.ofHours(1), this::fromDb);
    db.put("a", "v1");
    PromotedCache.Lookup<String> l = cache.lookup("a");
    String tag = l.etag();
    assertThat(l.matches(tag)).isTrue();
    assertThat(l.matches("W/" + tag)).isTrue();
    assertThat(l.matches("\"other\", " + tag)).isTrue();
    assertThat(l.matches("*")).isTrue();
    assertThat(l.matches("\"other\"")).isFalse();
    assertThat(l.matches(tag.replace("\"", ""))).as("an unquoted tag is another tag").isFalse();
    assertThat(l.matches(null)).isFalse();
    assertThat(l.matches("")).isFalse();
  }
}
