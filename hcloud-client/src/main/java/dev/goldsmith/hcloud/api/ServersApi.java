package dev.goldsmith.hcloud.api;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.smallrye.mutiny.Uni;

import dev.goldsmith.hcloud.model.Action;
import dev.goldsmith.hcloud.model.CreateImageRequest;
import dev.goldsmith.hcloud.model.CreateImageResult;
import dev.goldsmith.hcloud.model.CreateServerRequest;
import dev.goldsmith.hcloud.model.CreateServerResult;
import dev.goldsmith.hcloud.model.Page;
import dev.goldsmith.hcloud.model.RebuildResult;
import dev.goldsmith.hcloud.model.Server;
import dev.goldsmith.hcloud.model.ServerQuery;
import dev.goldsmith.hcloud.model.UpdateServerRequest;

/** {@code /servers} and the server actions. Mutating calls return the action to wait for. */
public interface ServersApi {

  /** {@code POST /servers}. Wait for {@link CreateServerResult#allActions()} before using it. */
  Uni<CreateServerResult> create(CreateServerRequest request);

  /** {@code GET /servers/{id}}; empty on 404. */
  Uni<Optional<Server>> get(long id);

  /** {@code GET /servers?name=}; empty when no server has that name. */
  Uni<Optional<Server>> getByName(String name);

  /** One page of {@code GET /servers}. */
  Uni<Page<Server>> list(ServerQuery query);

  /** Every page of {@code GET /servers} (per_page=50), following {@code next_page}. */
  Uni<List<Server>> all(ServerQuery query);

  /** {@code PUT /servers/{id}}. */
  Uni<Server> update(long id, UpdateServerRequest request);

  /** {@code PUT /servers/{id}} replacing all labels. */
  default Uni<Server> updateLabels(long id, Map<String, String> labels) {
    return update(id, UpdateServerRequest.labels(labels));
  }

  /** {@code DELETE /servers/{id}}; returns the {@code delete_server} action. */
  Uni<Action> delete(long id);

  /** {@code POST …/poweron} ({@code start_server}). */
  Uni<Action> powerOn(long id);

  /** {@code POST …/poweroff} ({@code stop_server}): a hard power cut. */
  Uni<Action> powerOff(long id);

  /**
   * {@code POST …/shutdown} ({@code shutdown_server}): an ACPI request. Its success only means the
   * signal was sent; see {@link #shutdownAndWaitOff(long, Duration)}.
   */
  Uni<Action> shutdown(long id);

  /** {@code POST …/reboot} ({@code reboot_server}). */
  Uni<Action> reboot(long id);

  /** {@code POST …/reset} ({@code reset_server}). */
  Uni<Action> reset(long id);

  /** {@code POST …/create_image}; the image comes back {@code creating}. */
  Uni<CreateImageResult> createImage(long id, CreateImageRequest request);

  /** {@code POST …/change_protection}; a null flag is left unchanged. */
  Uni<Action> changeProtection(long id, Boolean delete, Boolean rebuild);

  /** {@code POST …/rebuild} with an image id or name. */
  Uni<RebuildResult> rebuild(long id, String image);

  /**
   * The robust stop: sends {@code shutdown} and waits for its action, polls the server until it is
   * {@code off}; if it is not off within {@code gracePeriod}, sends {@code poweroff}, waits for
   * that action and polls again until {@code off}. An already-off server is returned at once.
   *
   * @return the server as last read, status {@code off}
   */
  Uni<Server> shutdownAndWaitOff(long id, Duration gracePeriod);

  // Blocking twins -------------------------------------------------------------------------

  default CreateServerResult createAndAwait(CreateServerRequest request) {
    return Await.result(create(request));
  }

  default Optional<Server> getAndAwait(long id) {
    return Await.result(get(id));
  }

  default Optional<Server> getByNameAndAwait(String name) {
    return Await.result(getByName(name));
  }

  default Page<Server> listAndAwait(ServerQuery query) {
    return Await.result(list(query));
  }

  default List<Server> allAndAwait(ServerQuery query) {
    return Await.result(all(query));
  }

  default Server updateAndAwait(long id, UpdateServerRequest request) {
    return Await.result(update(id, request));
  }

  default Server updateLabelsAndAwait(long id, Map<String, String> labels) {
    return Await.result(updateLabels(id, labels));
  }

  default Action deleteAndAwait(long id) {
    return Await.result(delete(id));
  }

  default Action powerOnAndAwait(long id) {
    return Await.result(powerOn(id));
  }

  default Action powerOffAndAwait(long id) {
    return Await.result(powerOff(id));
  }

  default Action shutdownAndAwait(long id) {
    return Await.result(shutdown(id));
  }

  default Action rebootAndAwait(long id) {
    return Await.result(reboot(id));
  }

  default Action resetAndAwait(long id) {
    return Await.result(reset(id));
  }

  default CreateImageResult createImageAndAwait(long id, CreateImageRequest request) {
    return Await.result(createImage(id, request));
  }

  default Action changeProtectionAndAwait(long id, Boolean delete, Boolean rebuild) {
    return Await.result(changeProtection(id, delete, rebuild));
  }

  default RebuildResult rebuildAndAwait(long id, String image) {
    return Await.result(rebuild(id, image));
  }

  default Server shutdownAndWaitOffAndAwait(long id, Duration gracePeriod) {
    return Await.result(shutdownAndWaitOff(id, gracePeriod));
  }
}
