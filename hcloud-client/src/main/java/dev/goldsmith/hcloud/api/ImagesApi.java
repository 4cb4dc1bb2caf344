package dev.goldsmith.hcloud.api;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.smallrye.mutiny.Uni;

import dev.goldsmith.hcloud.model.Action;
import dev.goldsmith.hcloud.model.Image;
import dev.goldsmith.hcloud.model.ImageQuery;
import dev.goldsmith.hcloud.model.Page;
import dev.goldsmith.hcloud.model.UpdateImageRequest;

/** {@code /images}. */
public interface ImagesApi {

  /** {@code GET /images/{id}}; empty on 404. */
  Uni<Optional<Image>> get(long id);

  /** One page of {@code GET /images}. */
  Uni<Page<Image>> list(ImageQuery query);

  /** Every page of {@code GET /images} (per_page=50), following {@code next_page}. */
  Uni<List<Image>> all(ImageQuery query);

  /** {@code PUT /images/{id}} (snapshots and backups only). */
  Uni<Image> update(long id, UpdateImageRequest request);

  /** {@code PUT /images/{id}} replacing all labels. */
  default Uni<Image> updateLabels(long id, Map<String, String> labels) {
    return update(id, UpdateImageRequest.labels(labels));
  }

  /** {@code DELETE /images/{id}} (204). Fails with {@code protected} or {@code not_found}. */
  Uni<Void> delete(long id);

  /** {@code POST /images/{id}/actions/change_protection}. */
  Uni<Action> changeProtection(long id, boolean delete);

  default Optional<Image> getAndAwait(long id) {
    return Await.result(get(id));
  }

  default Page<Image> listAndAwait(ImageQuery query) {
    return Await.result(list(query));
  }

  default List<Image> allAndAwait(ImageQuery query) {
    return Await.result(all(query));
  }

  default Image updateAndAwait(long id, UpdateImageRequest request) {
    return Await.result(update(id, request));
  }

  default Image updateLabelsAndAwait(long id, Map<String, String> labels) {
    return Await.result(updateLabels(id, labels));
  }

  default void deleteAndAwait(long id) {
    Await.result(delete(id));
  }

  default Action changeProtectionAndAwait(long id, boolean delete) {
    return Await.result(changeProtection(id, delete));
  }
}
