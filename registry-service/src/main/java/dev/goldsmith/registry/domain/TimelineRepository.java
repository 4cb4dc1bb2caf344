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

  /**
   * What operators did to the family's versions (promotions by hand, rollbacks, revocations: rows
   * of type {@code OPERATOR_*}), newest first.
   */
  public List<TimelineEvent> operatorActions(String family) {
    return list(
        "eventType like 'OPERATOR%' and buildId in"
            + " (select b.buildId from Build b where b.family = ?1)",
        Sort.descending("occurredAt", "id"), family);
  }

  public boolean seen(String ceId) {
    return ceId != null && count("ceId", ceId) > 0;
  }
}
