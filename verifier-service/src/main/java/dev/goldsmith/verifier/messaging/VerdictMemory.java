package dev.goldsmith.verifier.messaging;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import dev.goldsmith.events.VerificationFinished;

/**
 * What this process already did per build and image, so a redelivered SnapshotCreated is not
 * verified twice: an in-flight verification is not started again, and a finished one is answered by
 * publishing the remembered VerificationFinished again (downstream consumers are idempotent by
 * build id). The memory is bounded (oldest first out) and lost on restart; after a restart the
 * image is verified again, which is safe: leftover test servers are deleted first.
 */
public final class VerdictMemory {

  /** Build and image, the identity of a verification. */
  public record Key(UUID buildId, long imageId) {}

  private final Set<Key> inFlight = ConcurrentHashMap.newKeySet();
  private final Map<Key, VerificationFinished> finished;

  public VerdictMemory(int capacity) {
    this.finished =
        new LinkedHashMap<>(16, 0.75f, false) {
          @Override
          protected boolean removeEldestEntry(Map.Entry<Key, VerificationFinished> eldest) {
            return size() > capacity;
          }
        };
  }

  /** The remembered verdict, if this process already published one. */
  public synchronized Optional<VerificationFinished> finished(Key key) {
    return Optional.ofNullable(finished.get(key));
  }

  /** Claims the key; false when a verification of it is already running. */
  public boolean start(Key key) {
    return inFlight.add(key);
  }

  /** Remembers the published verdict and releases the claim. */
  public synchronized void done(Key key, VerificationFinished event) {
    finished.put(key, event);
    inFlight.remove(key);
  }

  /** Releases the claim without a verdict (the record will be redelivered). */
  public void abandon(Key key) {
    inFlight.remove(key);
  }
}
