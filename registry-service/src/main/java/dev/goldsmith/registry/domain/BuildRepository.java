package dev.goldsmith.registry.domain;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.hibernate.orm.panache.PanacheQuery;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Parameters;
import io.quarkus.panache.common.Sort;

/** Builds by id, and the filtered listing of the API. */
@ApplicationScoped
public class BuildRepository implements PanacheRepositoryBase<Build, UUID> {

  /** Builds matching every non-null filter, newest first. */
  public PanacheQuery<Build> search(String family, BuildStatus status, Instant from, Instant to) {
    List<String> where = new ArrayList<>();
    Parameters p = new Parameters();
    if (family != null) {
      where.add("family = :family");
      p.and("family", family);
    }
    if (status != null) {
      where.add("status = :status");
      p.and("status", status);
    }
    if (from != null) {
      where.add("createdAt >= :from");
      p.and("from", from);
    }
    if (to != null) {
      where.add("createdAt < :to");
      p.and("to", to);
    }
    Sort sort = Sort.descending("createdAt").and("buildId");
    if (where.isEmpty()) {
      return findAll(sort);
    }
    return find(String.join(" and ", where), sort, p);
  }

  /** Ids of the family's builds that are still running. */
  public Set<UUID> inProgressIds(String family) {
    return list("family = ?1 and status in ?2", family, BuildStatus.IN_PROGRESS).stream()
        .map(b -> b.buildId)
        .collect(Collectors.toSet());
  }
}
