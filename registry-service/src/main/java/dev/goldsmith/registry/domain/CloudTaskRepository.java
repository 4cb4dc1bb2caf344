package dev.goldsmith.registry.domain;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.hibernate.orm.panache.PanacheRepository;
import io.quarkus.panache.common.Sort;

/** Cloud tasks. */
@ApplicationScoped
public class CloudTaskRepository implements PanacheRepository<CloudTask> {

  /**
   * Claims the next due task whose lease is free or expired, for {@code owner} until {@code
   * leaseUntil}: {@code SELECT … FOR UPDATE SKIP LOCKED}, so concurrent instances never claim the
   * same row. Call inside a transaction.
   */
  public Optional<CloudTask> claimNext(String owner, Instant now, Instant leaseUntil) {
    @SuppressWarnings("unchecked")
    List<Number> ids =
        getEntityManager()
            .createNativeQuery(
                "select id from cloud_task where step not in ('DONE', 'FAILED')"
                    + " and next_attempt_at <= ?1 and (lease_until is null or lease_until < ?1)"
                    + " order by id limit 1 for update skip locked")
            .setParameter(1, now)
            .getResultList();
    if (ids.isEmpty()) {
      return Optional.empty();
    }
    CloudTask t = findById(ids.get(0).longValue());
    t.leaseOwner = owner;
    t.leaseUntil = leaseUntil;
    return Optional.of(t);
  }

  /** Tasks parked as FAILED, newest first. */
  public List<CloudTask> parked() {
    return list("step", Sort.descending("updatedAt"), CloudTask.Step.FAILED);
  }

  /** Whether an image has a delete task still open. */
  public boolean openDeletion(long imageId) {
    return count(
            "kind = ?1 and imageId = ?2 and step not in ?3",
            CloudTask.Kind.DELETE_IMAGE,
            imageId,
            List.of(CloudTask.Step.DONE, CloudTask.Step.FAILED))
        > 0;
  }
}
