package dev.goldsmith.hcloud.api;

import java.util.List;
import java.util.Optional;

import io.smallrye.mutiny.Uni;

import dev.goldsmith.hcloud.model.NameQuery;
import dev.goldsmith.hcloud.model.Page;
import dev.goldsmith.hcloud.model.ServerType;

/** {@code /server_types} (read-only). */
public interface ServerTypesApi {

  Uni<Optional<ServerType>> get(long id);

  Uni<Optional<ServerType>> getByName(String name);

  Uni<Page<ServerType>> list(NameQuery query);

  Uni<List<ServerType>> all(NameQuery query);

  default Optional<ServerType> getAndAwait(long id) {
    return Await.result(get(id));
  }

  default Optional<ServerType> getByNameAndAwait(String name) {
    return Await.result(getByName(name));
  }

  default Page<ServerType> listAndAwait(NameQuery query) {
    return Await.result(list(query));
  }

  default List<ServerType> allAndAwait(NameQuery query) {
    return Await.result(all(query));
  }
}
