package dev.goldsmith.registry.installation;

import java.time.Clock;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.quarkus.logging.Log;
import io.quarkus.narayana.jta.QuarkusTransaction;

import dev.goldsmith.events.Patterns;

/**
 * This installation's id: generated once and stored in the database (table {@code installation}),
 * unless {@code goldsmith.installation-id} sets it (then the stored value follows the setting).
 * Every BuildSpec carries it, so every service labels the build's resources {@code
 * goldsmith.dev/installation=<id>}; retention and cleanup touch only snapshots carrying it.
 */
@ApplicationScoped
public class Installation {
  private final EntityManager em;
  private final Optional<String> configured;
  private final Clock clock;
  private volatile String id;

  public Installation(
      EntityManager em,
      @ConfigProperty(name = "goldsmith.installation-id") Optional<String> configured,
      Clock clock) {
    this.em = em;
    this.configured = configured.map(String::trim).filter(s -> !s.isEmpty());
    this.clock = clock;
    this.configured.ifPresent(
        c -> {
          if (!c.matches(Patterns.INSTALLATION_ID)) {
            throw new IllegalArgumentException(
                "goldsmith.installation-id must be a label value ("
                    + Patterns.INSTALLATION_ID
                    + ")");
          }
        });
  }

  /** The id; the first call reads (or creates) the stored one. */
  public String id() {
    String known = id;
    if (known == null) {
      known = QuarkusTransaction.requiringNew().call(this::load);
      id = known;
    }
    return known;
  }

  private String load() {
    String candidate = configured.orElseGet(() -> UUID.randomUUID().toString());
    em.createNativeQuery(
            "insert into installation (singleton, id, created_at) values (true, ?1, ?2)"
                + " on conflict (singleton) do nothing")
        .setParameter(1, candidate)
        .setParameter(2, clock.instant())
        .executeUpdate();
    String stored = (String) em.createNativeQuery("select id from installation").getSingleResult();
    if (configured.isPresent() && !configured.get().equals(stored)) {
      Log.warnf(
          "goldsmith.installation-id overrides the stored installation id stored=%s configured=%s",
          stored, configured.get());
      em.createNativeQuery("update installation set id = ?1")
          .setParameter(1, configured.get())
          .executeUpdate();
      return configured.get();
    }
    Log.infof("installation id=%s", stored);
    return stored;
  }
}
