package dev.goldsmith.hcloud.internal;

import java.util.List;
import java.util.Optional;

import io.smallrye.mutiny.Uni;

import dev.goldsmith.hcloud.api.LocationsApi;
import dev.goldsmith.hcloud.api.ServerTypesApi;
import dev.goldsmith.hcloud.model.Location;
import dev.goldsmith.hcloud.model.NameQuery;
import dev.goldsmith.hcloud.model.Page;
import dev.goldsmith.hcloud.model.ServerType;

/** The read-only catalogues: one generic implementation per resource. */
public final class CatalogImpl<T> {

  private final RequestExecutor http;
  private final String path;
  private final String singular;
  private final String plural;
  private final Class<T> type;

  private CatalogImpl(
      RequestExecutor http, String path, String singular, String plural, Class<T> type) {
    this.http = http;
    this.path = path;
    this.singular = singular;
    this.plural = plural;
    this.type = type;
  }

  Uni<Optional<T>> get(long id) {
    return Calls.optional(
        http.send("GET", path + "/" + id, null).map(e -> Json.member(e, singular, type)));
  }

  Uni<Page<T>> list(NameQuery q) {
    QueryString qs =
        new QueryString()
            .add("name", q.name())
            .addAll("sort", q.sort())
            .add("page", q.page())
            .add("per_page", q.perPage());
    return http.send("GET", path + qs, null).map(e -> Json.page(e, plural, type));
  }

  Uni<List<T>> all(NameQuery q) {
    return Calls.all(page -> list(q.withPage(page, Calls.ALL_PER_PAGE)));
  }

  /** {@code /server_types}. */
  public static ServerTypesApi serverTypes(RequestExecutor http) {
    CatalogImpl<ServerType> c =
        new CatalogImpl<>(http, "/server_types", "server_type", "server_types", ServerType.class);
    return new ServerTypesApi() {
      @Override
      public Uni<Optional<ServerType>> get(long id) {
        return c.get(id);
      }

      @Override
      public Uni<Optional<ServerType>> getByName(String name) {
        return c.list(NameQuery.all().withName(name)).map(Calls::first);
      }

      @Override
      public Uni<Page<ServerType>> list(NameQuery query) {
        return c.list(query);
      }

      @Override
      public Uni<List<ServerType>> all(NameQuery query) {
        return c.all(query);
      }
    };
  }

  /** {@code /locations}. */
  public static LocationsApi locations(RequestExecutor http) {
    CatalogImpl<Location> c =
        new CatalogImpl<>(http, "/locations", "location", "locations", Location.class);
    return new LocationsApi() {
      @Override
      public Uni<Optional<Location>> get(long id) {
        return c.get(id);
      }

      @Override
      public Uni<Optional<Location>> getByName(String name) {
        return c.list(NameQuery.all().withName(name)).map(Calls::first);
      }

      @Override
      public Uni<Page<Location>> list(NameQuery query) {
        return c.list(query);
      }

      @Override
      public Uni<List<Location>> all(NameQuery query) {
        return c.all(query);
      }
    };
  }
}
