package dev.goldsmith.registry.domain;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.hibernate.orm.panache.PanacheRepository;
import io.quarkus.panache.common.Sort;

/** The per-build timeline. */
@ApplicationScoped
public class TimelineRepository implements PanacheRepository<TimelineEvent> {

  public List<TimelineEvent> forBuild(UUID buildId) {
    return list("buildId", Sort.ascending("occurredAt", "id"), buildId);
  }

  /** The build's most recent event of a type (an {@code EventType} name), if any. */
  public Optional<TimelineEvent> last(UUID buildId, String eventType) {
    return find("buildId = ?1 and eventType = ?2", Sort.descending("id"), buildId, eventType)
        .firstResultOptional();
  }

  public boolean seen(String ceId) {
    return ceId != null && count("ceId", ceId) > 0;
  }
}
