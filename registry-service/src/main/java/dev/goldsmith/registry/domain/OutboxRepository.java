package dev.goldsmith.registry.domain;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.hibernate.orm.panache.PanacheRepository;
import io.quarkus.panache.common.Sort;

/** Events waiting to be published. */
@ApplicationScoped
public class OutboxRepository implements PanacheRepository<OutboxEvent> {

  /**
   * Claims up to {@code max} due rows, locked until the caller's transaction ends: {@code SELECT …
   * FOR UPDATE SKIP LOCKED}, so another instance publishing at the same time takes other rows.
   */
  @SuppressWarnings("unchecked")
  public List<OutboxEvent> claim(Instant now, int max) {
    return getEntityManager()
        .createNativeQuery(
            "select * from outbox_event where published_at is null and parked_at is null"
                + " and next_attempt_at <= ?1 order by id limit ?2 for update skip locked",
            OutboxEvent.class)
        .setParameter(1, now)
        .setParameter(2, max)
        .getResultList();
  }

  /** The {@code traceparent} of the build's latest row that has one: the build's trace. */
  @SuppressWarnings("unchecked")
  public Optional<String> lastTraceparent(UUID buildId) {
    List<String> found =
        getEntityManager()
            .createNativeQuery(
                "select traceparent from outbox_event where build_id = ?1 and traceparent is not"
                    + " null order by id desc limit 1")
            .setParameter(1, buildId)
            .getResultList();
    return found.stream().findFirst();
  }

  /** Rows given up on, newest first. */
  public List<OutboxEvent> parked() {
    return list("parkedAt is not null", Sort.descending("parkedAt"));
  }
}
