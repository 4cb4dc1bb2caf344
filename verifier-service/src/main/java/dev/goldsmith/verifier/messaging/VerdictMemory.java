package dev.goldsmith.verifier.messaging;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import dev.goldsmith.events.VerificationFinished;

/**
 * The verdicts this process reached, per build and image, so a redelivered SnapshotCreated (or a
 * publish retried in place) is answered by publishing the remembered VerificationFinished again,
 * with the same event id, instead of verifying again. Bounded (oldest first out) and lost on
 * restart; that is safe by construction: after a restart the image is verified again (leftover test
 * servers are found by label and deleted first), and the new verdict carries the same CloudEvents
 * id ({@link SnapshotCreatedConsumer#verdictId}), so the registry acts on one only.
 */
public final class VerdictMemory {

  /** Build and image, the identity of a verification. */
  public record Key(UUID buildId, long imageId) {}

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

  /** Remembers the verdict reached for {@code key}. */
  public synchronized void done(Key key, VerificationFinished event) {
    finished.put(key, event);
  }

  /** Forgets every verdict, as a restart does. */
  public synchronized void clear() {
    finished.clear();
  }
}
