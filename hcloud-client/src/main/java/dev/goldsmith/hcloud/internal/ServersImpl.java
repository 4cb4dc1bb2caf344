package dev.goldsmith.hcloud.internal;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.smallrye.mutiny.Uni;

import dev.goldsmith.hcloud.ActionPollSettings;
import dev.goldsmith.hcloud.api.ActionsApi;
import dev.goldsmith.hcloud.api.ServersApi;
import dev.goldsmith.hcloud.error.ActionFailedException;
import dev.goldsmith.hcloud.error.ActionWaitTimeoutException;
import dev.goldsmith.hcloud.error.HcloudApiException;
import dev.goldsmith.hcloud.error.HcloudErrorCode;
import dev.goldsmith.hcloud.error.ServerShutdownTimeoutException;
import dev.goldsmith.hcloud.label.Labels;
import dev.goldsmith.hcloud.model.Action;
import dev.goldsmith.hcloud.model.CreateImageRequest;
import dev.goldsmith.hcloud.model.CreateImageResult;
import dev.goldsmith.hcloud.model.CreateServerRequest;
import dev.goldsmith.hcloud.model.CreateServerResult;
import dev.goldsmith.hcloud.model.Image;
import dev.goldsmith.hcloud.model.Page;
import dev.goldsmith.hcloud.model.RebuildResult;
import dev.goldsmith.hcloud.model.Server;
import dev.goldsmith.hcloud.model.ServerQuery;
import dev.goldsmith.hcloud.model.ServerStatus;
import dev.goldsmith.hcloud.model.UpdateServerRequest;

/** {@link ServersApi} over the request path. */
public final class ServersImpl implements ServersApi {

  private static final Logger LOG = Logger.getLogger("dev.goldsmith.hcloud");

  private final RequestExecutor http;
  private final ActionsApi actions;
  private final ActionPollSettings poll;

  public ServersImpl(RequestExecutor http, ActionsApi actions, ActionPollSettings poll) {
    this.http = http;
    this.actions = actions;
    this.poll = poll;
  }

  @Override
  public Uni<CreateServerResult> create(CreateServerRequest r) {
    Labels.validate(r.labels());
    ObjectNode body = Json.object();
    body.put("name", r.name());
    putIdOrName(body, "server_type", r.serverType());
    putIdOrName(body, "image", r.image());
    if (r.location() != null) {
      putIdOrName(body, "location", r.location());
    }
    if (!r.sshKeys().isEmpty()) {
      ArrayNode keys = body.putArray("ssh_keys");
      for (String k : r.sshKeys()) {
        if (isId(k)) {
          keys.add(Long.parseLong(k));
        } else {
          keys.add(k);
        }
      }
    }
    if (r.userData() != null) {
      body.put("user_data", r.userData());
    }
    body.put("start_after_create", r.startAfterCreate());
    ObjectNode labels = body.putObject("labels");
    r.labels().forEach(labels::put);
    ObjectNode net = body.putObject("public_net");
    net.put("enable_ipv4", r.enableIpv4());
    net.put("enable_ipv6", r.enableIpv6());
    return http.send("POST", "/servers", body)
        .map(
            env -> {
              JsonNode pw = env.get("root_password");
              return new CreateServerResult(
                  Json.member(env, "server", Server.class),
                  Json.member(env, "action", Action.class),
                  Json.list(env, "next_actions", Action.class),
                  pw == null || pw.isNull() ? Optional.empty() : Optional.of(pw.asText()));
            });
  }

  static boolean isId(String s) {
    if (s == null || s.isEmpty() || s.length() > 18) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      if (!Character.isDigit(s.charAt(i))) {
        return false;
      }
    }
    return true;
  }

  static void putIdOrName(ObjectNode body, String key, String value) {
    if (isId(value)) {
      body.put(key, Long.parseLong(value));
    } else {
      body.put(key, value);
    }
  }

  @Override
  public Uni<Optional<Server>> get(long id) {
    return Calls.optional(getRequired(id));
  }

  private Uni<Server> getRequired(long id) {
    return http.send("GET", "/servers/" + id, null)
        .map(e -> Json.member(e, "server", Server.class));
  }

  @Override
  public Uni<Optional<Server>> getByName(String name) {
    return list(ServerQuery.all().withName(name)).map(Calls::first);
  }

  @Override
  public Uni<Page<Server>> list(ServerQuery q) {
    QueryString qs =
        new QueryString()
            .add("name", q.name())
            .add("label_selector", q.labelSelector())
            .addAll("status", q.statuses().stream().map(ServerStatus::wireValue).toList())
            .addAll("sort", q.sort())
            .add("page", q.page())
            .add("per_page", q.perPage());
    return http.send("GET", "/servers" + qs, null).map(e -> Json.page(e, "servers", Server.class));
  }

  @Override
  public Uni<List<Server>> all(ServerQuery q) {
    return Calls.all(page -> list(q.withPage(page, Calls.ALL_PER_PAGE)));
  }

  @Override
  public Uni<Server> update(long id, UpdateServerRequest r) {
    ObjectNode body = Json.object();
    if (r.name() != null) {
      body.put("name", r.name());
    }
    if (r.labels() != null) {
      Labels.validate(r.labels());
      ObjectNode labels = body.putObject("labels");
      r.labels().forEach(labels::put);
    }
    return http.send("PUT", "/servers/" + id, body)
        .map(e -> Json.member(e, "server", Server.class));
  }

  @Override
  public Uni<Action> delete(long id) {
    return http.send("DELETE", "/servers/" + id, null)
        .map(e -> Json.member(e, "action", Action.class));
  }

  private Uni<Action> action(long id, String name, JsonNode body) {
    return http.send("POST", "/servers/" + id + "/actions/" + name, body)
        .map(e -> Json.member(e, "action", Action.class));
  }

  @Override
  public Uni<Action> powerOn(long id) {
    return action(id, "poweron", null);
  }

  @Override
  public Uni<Action> powerOff(long id) {
    return action(id, "poweroff", null);
  }

  @Override
  public Uni<Action> shutdown(long id) {
    return action(id, "shutdown", null);
  }

  @Override
  public Uni<Action> reboot(long id) {
    return action(id, "reboot", null);
  }

  @Override
  public Uni<Action> reset(long id) {
    return action(id, "reset", null);
  }

  @Override
  public Uni<CreateImageResult> createImage(long id, CreateImageRequest r) {
    ObjectNode body = Json.object();
    if (r.type() != null) {
      body.put("type", r.type().wireValue());
    }
    if (r.description() != null) {
      body.put("description", r.description());
    }
    if (r.labels() != null) {
      Labels.validate(r.labels());
      ObjectNode labels = body.putObject("labels");
      r.labels().forEach(labels::put);
    }
    return http.send("POST", "/servers/" + id + "/actions/create_image", body)
        .map(
            e ->
                new CreateImageResult(
                    Json.member(e, "image", Image.class), Json.member(e, "action", Action.class)));
  }

  @Override
  public Uni<Action> changeProtection(long id, Boolean delete, Boolean rebuild) {
    ObjectNode body = Json.object();
    if (delete != null) {
      body.put("delete", delete);
    }
    if (rebuild != null) {
      body.put("rebuild", rebuild);
    }
    return action(id, "change_protection", body);
  }

  @Override
  public Uni<RebuildResult> rebuild(long id, String image) {
    ObjectNode body = Json.object();
    putIdOrName(body, "image", image);
    return http.send("POST", "/servers/" + id + "/actions/rebuild", body)
        .map(
            e -> {
              JsonNode pw = e.get("root_password");
              return new RebuildResult(
                  Json.member(e, "action", Action.class),
                  pw == null || pw.isNull() ? Optional.empty() : Optional.of(pw.asText()));
            });
  }

  @Override
  public Uni<Server> shutdownAndWaitOff(long id, Duration gracePeriod) {
    // The grace period starts at subscription, not when the Uni is built.
    return Uni.createFrom().deferred(() -> shutdownAndWaitOff(id, gracePeriod, System.nanoTime()));
  }

  private Uni<Server> shutdownAndWaitOff(long id, Duration gracePeriod, long start) {
    return getRequired(id)
        .chain(
            s -> {
              if (s.status() == ServerStatus.OFF) {
                return Uni.createFrom().item(s);
              }
              long graceEnd = start + gracePeriod.toNanos();
              return shutdown(id)
                  .chain(a -> actions.waitFor(a, gracePeriod))
                  .chain(a -> pollUntilOff(id, graceEnd, poll.initialInterval()))
                  .onFailure(
                      e ->
                          e instanceof ActionFailedException
                              || e instanceof ActionWaitTimeoutException
                              || e instanceof ShutdownGraceOver)
                  .recoverWithUni(
                      e -> {
                        if (!(e instanceof ShutdownGraceOver)) {
                          LOG.warnf(
                              "shutdown did not complete, powering off serverId=%d cause=%s",
                              id, e.getMessage());
                        }
                        return Uni.createFrom().item(Optional.<Server>empty());
                      })
                  .chain(
                      off -> {
                        if (off.isPresent()) {
                          return Uni.createFrom().item(off.get());
                        }
                        LOG.infof(
                            "server not off after shutdown, powering off serverId=%d graceMs=%d",
                            id, gracePeriod.toMillis());
                        return powerOffUntilOff(id, start);
                      });
            });
  }

  private Uni<Server> powerOffUntilOff(long id, long start) {
    return powerOff(id)
        .onFailure(
            e ->
                e instanceof HcloudApiException
                    && ((HcloudApiException) e).code() == HcloudErrorCode.LOCKED)
        .retry()
        .withBackOff(poll.initialInterval(), poll.maxInterval())
        .atMost(5)
        .chain(a -> actions.waitFor(a))
        .chain(
            a -> {
              long end = System.nanoTime() + poll.defaultTimeout().toNanos();
              return pollUntilOff(id, end, poll.initialInterval());
            })
        .onFailure(ShutdownGraceOver.class)
        .transform(
            e ->
                new ServerShutdownTimeoutException(
                    id,
                    ((ShutdownGraceOver) e).lastStatus,
                    Duration.ofNanos(System.nanoTime() - start)))
        .map(Optional::get);
  }

  /** Polls the server until it is off; fails with ShutdownGraceOver at {@code endNanos}. */
  private Uni<Optional<Server>> pollUntilOff(long id, long endNanos, Duration interval) {
    return getRequired(id)
        .chain(
            s -> {
              if (s.status() == ServerStatus.OFF) {
                return Uni.createFrom().item(Optional.of(s));
              }
              long left = endNanos - System.nanoTime();
              if (left <= 0) {
                return Uni.createFrom().failure(new ShutdownGraceOver(s.status().wireValue()));
              }
              Duration sleep =
                  interval.compareTo(Duration.ofNanos(left)) < 0
                      ? interval
                      : Duration.ofNanos(left);
              Duration next =
                  Duration.ofMillis(
                      Math.min(
                          poll.maxInterval().toMillis(),
                          (long) (interval.toMillis() * poll.multiplier())));
              return http.sleep(sleep).chain(() -> pollUntilOff(id, endNanos, next));
            });
  }

  /** Internal signal: the grace period ended before the server was off. */
  private static final class ShutdownGraceOver extends RuntimeException {
    final String lastStatus;

    ShutdownGraceOver(String lastStatus) {
      super("server still " + lastStatus, null, false, false);
      this.lastStatus = lastStatus;
    }
  }
}
