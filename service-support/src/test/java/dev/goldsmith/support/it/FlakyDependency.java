package dev.goldsmith.support.it;

import java.sql.SQLTransientConnectionException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.inject.Singleton;

import org.jboss.logging.MDC;

import dev.goldsmith.events.BuildFailed;
import dev.goldsmith.support.messaging.BuildMdc;

/** Stands in for the database: down until a given instant, then it records what it was given. */
@Singleton
public class FlakyDependency {
  private volatile Instant downUntil = Instant.EPOCH;
  final List<UUID> handled = new CopyOnWriteArrayList<>();
  final Map<UUID, AtomicInteger> attempts = new ConcurrentHashMap<>();
  final Map<UUID, String> mdc = new ConcurrentHashMap<>();

  void downUntil(Instant until) {
    downUntil = until;
  }

  void store(BuildFailed event) throws SQLTransientConnectionException {
    attempts.computeIfAbsent(event.buildId(), k -> new AtomicInteger()).incrementAndGet();
    mdc.put(event.buildId(), String.valueOf(MDC.get(BuildMdc.KEY)));
    if (Instant.now().isBefore(downUntil)) {
      throw new SQLTransientConnectionException("Connection to 127.0.0.1:5432 refused");
    }
    handled.add(event.buildId());
  }
}
