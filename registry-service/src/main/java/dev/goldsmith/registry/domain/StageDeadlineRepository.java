package dev.goldsmith.registry.domain;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;

/** The watchdog's rows: which builds entered a new stage, and which are due. */
@ApplicationScoped
public class StageDeadlineRepository implements PanacheRepositoryBase<StageDeadline, UUID> {

  /** In-progress builds whose current status has no deadline row yet (new, or moved on). */
  public List<Build> untracked(int max) {
    return getEntityManager()
        .createQuery(
            "select b from Build b where b.status in ?1 and not exists (select 1 from"
                + " StageDeadline d where d.buildId = b.buildId and d.status = b.status)"
                + " order by b.updatedAt",
            Build.class)
        .setParameter(1, BuildStatus.IN_PROGRESS)
        .setMaxResults(max)
        .getResultList();
  }

  /**
   * Starts the deadline of the build's current stage; a row of an earlier stage is replaced (its
   * re-drives reset), a row already of this stage is left alone (another instance was first).
   */
  public void track(UUID buildId, BuildStatus status, Instant enteredAt, Instant deadlineAt) {
    getEntityManager()
        .createNativeQuery(
            "insert into stage_deadline (build_id, status, entered_at, deadline_at, redrives)"
                + " values (?1, ?2, ?3, ?4, 0) on conflict (build_id) do update set status ="
                + " excluded.status, entered_at = excluded.entered_at, deadline_at ="
                + " excluded.deadline_at, redrives = 0, last_redrive_at = null, expired_at = null"
                + " where stage_deadline.status <> excluded.status")
        .setParameter(1, buildId)
        .setParameter(2, status.name())
        .setParameter(3, enteredAt)
        .setParameter(4, deadlineAt)
        .executeUpdate();
  }

  /**
   * Claims one row past its deadline whose build is still in that stage, locked until the caller's
   * transaction ends ({@code FOR UPDATE SKIP LOCKED}: another instance takes another row).
   */
  @SuppressWarnings("unchecked")
  public Optional<StageDeadline> claimDue(Instant now) {
    List<StageDeadline> rows =
        getEntityManager()
            .createNativeQuery(
                "select d.* from stage_deadline d join build b on b.build_id = d.build_id"
                    + " where d.expired_at is null and d.deadline_at <= ?1 and b.status = d.status"
                    + " order by d.deadline_at limit 1 for update of d skip locked",
                StageDeadline.class)
            .setParameter(1, now)
            .getResultList();
    return rows.stream().findFirst();
  }

  /** The build, locked against a consumer moving it at the same time. */
  public Build buildForUpdate(UUID buildId) {
    return getEntityManager().find(Build.class, buildId, LockModeType.PESSIMISTIC_WRITE);
  }
}
