package dev.goldsmith.hcloud.api;

import java.util.List;
import java.util.Optional;

import io.smallrye.mutiny.Uni;

import dev.goldsmith.hcloud.model.Location;
import dev.goldsmith.hcloud.model.NameQuery;
import dev.goldsmith.hcloud.model.Page;

/** {@code /locations} (read-only). */
public interface LocationsApi {

  Uni<Optional<Location>> get(long id);

  Uni<Optional<Location>> getByName(String name);

  Uni<Page<Location>> list(NameQuery query);

  Uni<List<Location>> all(NameQuery query);

  default Optional<Location> getAndAwait(long id) {
    return Await.result(get(id));
  }

  default Optional<Location> getByNameAndAwait(String name) {
    return Await.result(getByName(name));
  }

  default Page<Location> listAndAwait(NameQuery query) {
    return Await.result(list(query));
  }

  default List<Location> allAndAwait(NameQuery query) {
    return Await.result(all(query));
  }
}
