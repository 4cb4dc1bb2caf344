package dev.goldsmith.provisioner.cloud;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;

import dev.goldsmith.hcloud.HcloudClient;
import dev.goldsmith.hcloud.error.HcloudApiException;
import dev.goldsmith.hcloud.error.HcloudErrorCode;
import dev.goldsmith.hcloud.label.LabelSelector;
import dev.goldsmith.hcloud.model.Action;
import dev.goldsmith.hcloud.model.CreateImageRequest;
import dev.goldsmith.hcloud.model.CreateImageResult;
import dev.goldsmith.hcloud.model.CreateServerRequest;
import dev.goldsmith.hcloud.model.CreateServerResult;
import dev.goldsmith.hcloud.model.Image;
import dev.goldsmith.hcloud.model.ImageQuery;
import dev.goldsmith.hcloud.model.ImageType;
import dev.goldsmith.hcloud.model.Server;
import dev.goldsmith.hcloud.model.ServerQuery;
import dev.goldsmith.hcloud.model.SshKey;
import dev.goldsmith.hcloud.model.SshKeyQuery;
import dev.goldsmith.support.cloud.GoldsmithLabels;

/**
 * The provisioner's port to Hetzner Cloud: the few operations it needs, each counted in {@code
 * goldsmith.provisioner.api.calls} (tags {@code op}, {@code outcome}). Retries live in the client;
 * this class adds none.
 */
@ApplicationScoped
public class Cloud {

  private final HcloudClient hcloud;
  private final MeterRegistry registry;

  public Cloud(HcloudClient hcloud, MeterRegistry registry) {
    this.hcloud = hcloud;
    this.registry = registry;
  }

  // Lookups ------------------------------------------------------------------------------------

  /** Builder servers of a build ({@code managed, role=builder, build-id}). */
  public Uni<List<Server>> findBuilders(UUID buildId) {
    String selector =
        LabelSelector.builder()
            .eq(GoldsmithLabels.MANAGED, "true")
            .eq(GoldsmithLabels.ROLE, GoldsmithLabels.ROLE_BUILDER)
            .eq(GoldsmithLabels.BUILD_ID, buildId.toString())
            .build()
            .toString();
    return counted(
        "servers.list", () -> hcloud.servers().all(ServerQuery.all().withLabelSelector(selector)));
  }

  /** Snapshots of a build ({@code type=snapshot}, {@code build-id}). */
  public Uni<List<Image>> findSnapshots(UUID buildId) {
    String selector =
        LabelSelector.builder()
            .eq(GoldsmithLabels.MANAGED, "true")
            .eq(GoldsmithLabels.BUILD_ID, buildId.toString())
            .build()
            .toString();
    return counted(
        "images.list",
        () ->
            hcloud
                .images()
                .all(ImageQuery.all().withType(ImageType.SNAPSHOT).withLabelSelector(selector)));
  }

  /** SSH keys carrying every label of {@code selector}. */
  public Uni<List<SshKey>> sshKeys(String selector) {
    return counted(
        "ssh_keys.list", () -> hcloud.sshKeys().all(SshKeyQuery.all().withLabelSelector(selector)));
  }

  /** Servers carrying every label of {@code selector}. */
  public Uni<List<Server>> servers(String selector) {
    return counted(
        "servers.list", () -> hcloud.servers().all(ServerQuery.all().withLabelSelector(selector)));
  }

  public Uni<Optional<Server>> server(long id) {
    return counted("servers.get", () -> hcloud.servers().get(id));
  }

  public Uni<Optional<Image>> image(long id) {
    return counted("images.get", () -> hcloud.images().get(id));
  }

  // Mutations ----------------------------------------------------------------------------------

  public Uni<CreateServerResult> createServer(CreateServerRequest request) {
    return counted("servers.create", () -> hcloud.servers().create(request));
  }

  public Uni<Action> powerOn(long id) {
    return counted("servers.poweron", () -> hcloud.servers().powerOn(id));
  }

  /** Graceful shutdown, polled until off, hard power-off once {@code grace} has passed. */
  public Uni<Server> shutdownAndWaitOff(long id, Duration grace) {
    return counted("servers.shutdown", () -> hcloud.servers().shutdownAndWaitOff(id, grace));
  }

  public Uni<CreateImageResult> createSnapshot(
      long serverId, String description, java.util.Map<String, String> labels) {
    return counted(
        "servers.create_image",
        () ->
            hcloud
                .servers()
                .createImage(serverId, CreateImageRequest.snapshot(description, labels)));
  }

  public Uni<List<Action>> waitFor(List<Action> actions, Duration timeout) {
    return counted("actions.wait", () -> hcloud.actions().waitFor(actions, timeout));
  }

  /** Deletes a server and waits until it is gone (404). A server already gone counts as deleted. */
  public Uni<Void> deleteServerAndWaitGone(long id, Duration timeout, Duration pollInterval) {
    return counted("servers.delete", () -> hcloud.servers().delete(id))
        .map(Optional::of)
        .onFailure(Cloud::isNotFound)
        .recoverWithItem(Optional.empty())
        .chain(
            action ->
                action.isPresent()
                    ? waitFor(List.of(action.get()), timeout).replaceWithVoid()
                    : Uni.createFrom().voidItem())
        .chain(
            () ->
                pollUntil(
                    () -> server(id), Optional::isEmpty, pollInterval, timeout, "server gone"))
        .replaceWithVoid();
  }

  /** Deletes an image; one already gone counts as deleted. */
  public Uni<Void> deleteImage(long id) {
    return counted("images.delete", () -> hcloud.images().delete(id))
        .onFailure(Cloud::isNotFound)
        .recoverWithNull();
  }

  /** Deletes an SSH key; one already gone counts as deleted. */
  public Uni<Void> deleteSshKey(long id) {
    return counted("ssh_keys.delete", () -> hcloud.sshKeys().delete(id))
        .onFailure(Cloud::isNotFound)
        .recoverWithNull();
  }

  // Helpers ------------------------------------------------------------------------------------

  /**
   * Calls {@code probe} every {@code interval} until {@code done} holds, failing with {@link
   * WaitTimeoutException} after {@code timeout}.
   */
  public static <T> Uni<T> pollUntil(
      Supplier<Uni<T>> probe, Predicate<T> done, Duration interval, Duration timeout, String what) {
    long deadline = System.nanoTime() + timeout.toNanos();
    return poll(probe, done, interval, deadline, what, timeout);
  }

  private static <T> Uni<T> poll(
      Supplier<Uni<T>> probe,
      Predicate<T> done,
      Duration interval,
      long deadline,
      String what,
      Duration timeout) {
    return Uni.createFrom()
        .deferred(() -> probe.get())
        .chain(
            value -> {
              if (done.test(value)) {
                return Uni.createFrom().item(value);
              }
              if (System.nanoTime() >= deadline) {
                return Uni.createFrom()
                    .failure(new WaitTimeoutException(what + " not reached within " + timeout));
              }
              return Uni.createFrom()
                  .voidItem()
                  .onItem()
                  .delayIt()
                  .by(interval)
                  .chain(() -> poll(probe, done, interval, deadline, what, timeout));
            });
  }

  /** True for an API error with code {@code not_found}. */
  public static boolean isNotFound(Throwable e) {
    return e instanceof HcloudApiException api && api.code() == HcloudErrorCode.NOT_FOUND;
  }

  private <T> Uni<T> counted(String op, Supplier<Uni<T>> call) {
    return Uni.createFrom()
        .deferred(() -> call.get())
        .onItemOrFailure()
        .invoke(
            (item, failure) -> {
              counter(op, failure == null ? "ok" : "error").increment();
              if (failure != null) {
                Log.debugf("hcloud call failed op=%s error=%s", op, failure.getMessage());
              }
            });
  }

  private Counter counter(String op, String outcome) {
    return Counter.builder("goldsmith.provisioner.api.calls")
        .description("Hetzner Cloud API operations called by the provisioner")
        .tag("op", op)
        .tag("outcome", outcome)
        .register(registry);
  }
}
