package dev.goldsmith.registry.domain;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.hibernate.orm.panache.PanacheRepository;
import io.quarkus.panache.common.Sort;

/** Events waiting to be published. */
@ApplicationScoped
public class OutboxRepository implements PanacheRepository<OutboxEvent> {

  public List<OutboxEvent> pending(int max) {
    return find("publishedAt is null", Sort.ascending("id")).page(0, max).list();
  }
}
