package dev.goldsmith.hcloud.api;

import java.util.List;
import java.util.Optional;

import io.smallrye.mutiny.Uni;

import dev.goldsmith.hcloud.model.CreateSshKeyRequest;
import dev.goldsmith.hcloud.model.Page;
import dev.goldsmith.hcloud.model.SshKey;
import dev.goldsmith.hcloud.model.SshKeyQuery;
import dev.goldsmith.hcloud.model.UpdateSshKeyRequest;

/** {@code /ssh_keys}. */
public interface SshKeysApi {

  /** {@code POST /ssh_keys}; {@code uniqueness_error} on a duplicate fingerprint or name. */
  Uni<SshKey> create(CreateSshKeyRequest request);

  /** {@code GET /ssh_keys/{id}}; empty on 404. */
  Uni<Optional<SshKey>> get(long id);

  /** {@code GET /ssh_keys?name=}. */
  Uni<Optional<SshKey>> getByName(String name);

  /** {@code GET /ssh_keys?fingerprint=}. */
  Uni<Optional<SshKey>> getByFingerprint(String md5Fingerprint);

  /** One page of {@code GET /ssh_keys}. */
  Uni<Page<SshKey>> list(SshKeyQuery query);

  /** Every page of {@code GET /ssh_keys}. */
  Uni<List<SshKey>> all(SshKeyQuery query);

  /** {@code PUT /ssh_keys/{id}}. */
  Uni<SshKey> update(long id, UpdateSshKeyRequest request);

  /** {@code DELETE /ssh_keys/{id}} (204). */
  Uni<Void> delete(long id);

  default SshKey createAndAwait(CreateSshKeyRequest request) {
    return Await.result(create(request));
  }

  default Optional<SshKey> getAndAwait(long id) {
    return Await.result(get(id));
  }

  default Optional<SshKey> getByNameAndAwait(String name) {
    return Await.result(getByName(name));
  }

  default Optional<SshKey> getByFingerprintAndAwait(String md5Fingerprint) {
    return Await.result(getByFingerprint(md5Fingerprint));
  }

  default Page<SshKey> listAndAwait(SshKeyQuery query) {
    return Await.result(list(query));
  }

  default List<SshKey> allAndAwait(SshKeyQuery query) {
    return Await.result(all(query));
  }

  default SshKey updateAndAwait(long id, UpdateSshKeyRequest request) {
    return Await.result(update(id, request));
  }

  default void deleteAndAwait(long id) {
    Await.result(delete(id));
  }
}
