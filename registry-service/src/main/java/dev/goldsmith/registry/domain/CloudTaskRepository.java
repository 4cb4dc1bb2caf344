package dev.goldsmith.registry.domain;

import java.time.Instant;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.hibernate.orm.panache.PanacheRepository;
import io.quarkus.panache.common.Sort;

/** Cloud tasks. */
@ApplicationScoped
public class CloudTaskRepository implements PanacheRepository<CloudTask> {

  /** Tasks with a step left whose next attempt is due. */
  public List<CloudTask> due(Instant now) {
    return list(
        "step not in ?1 and nextAttemptAt <= ?2",
        Sort.ascending("id"),
        List.of(CloudTask.Step.DONE, CloudTask.Step.FAILED),
        now);
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
