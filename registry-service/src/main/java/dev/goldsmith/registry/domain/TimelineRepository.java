package dev.goldsmith.registry.domain;

import java.util.List;
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

  public boolean seen(String ceId) {
    return ceId != null && count("ceId", ceId) > 0;
  }
}
