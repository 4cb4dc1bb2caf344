package dev.goldsmith.hcloud.internal;

import java.util.List;
import java.util.Optional;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.smallrye.mutiny.Uni;

import dev.goldsmith.hcloud.api.SshKeysApi;
import dev.goldsmith.hcloud.label.Labels;
import dev.goldsmith.hcloud.model.CreateSshKeyRequest;
import dev.goldsmith.hcloud.model.Page;
import dev.goldsmith.hcloud.model.SshKey;
import dev.goldsmith.hcloud.model.SshKeyQuery;
import dev.goldsmith.hcloud.model.UpdateSshKeyRequest;

/** {@link SshKeysApi} over the request path. */
public final class SshKeysImpl implements SshKeysApi {

  private final RequestExecutor http;

  public SshKeysImpl(RequestExecutor http) {
    this.http = http;
  }

  @Override
  public Uni<SshKey> create(CreateSshKeyRequest r) {
    Labels.validate(r.labels());
    ObjectNode body = Json.object();
    body.put("name", r.name());
    body.put("public_key", r.publicKey());
    ObjectNode labels = body.putObject("labels");
    r.labels().forEach(labels::put);
    return http.send("POST", "/ssh_keys", body).map(e -> Json.member(e, "ssh_key", SshKey.class));
  }

  @Override
  public Uni<Optional<SshKey>> get(long id) {
    return Calls.optional(
        http.send("GET", "/ssh_keys/" + id, null)
            .map(e -> Json.member(e, "ssh_key", SshKey.class)));
  }

  @Override
  public Uni<Optional<SshKey>> getByName(String name) {
    return list(SshKeyQuery.all().withName(name)).map(Calls::first);
  }

  @Override
  public Uni<Optional<SshKey>> getByFingerprint(String md5Fingerprint) {
    return list(SshKeyQuery.all().withFingerprint(md5Fingerprint)).map(Calls::first);
  }

  @Override
  public Uni<Page<SshKey>> list(SshKeyQuery q) {
    QueryString qs =
        new QueryString()
            .add("name", q.name())
            .add("fingerprint", q.fingerprint())
            .add("label_selector", q.labelSelector())
            .addAll("sort", q.sort())
            .add("page", q.page())
            .add("per_page", q.perPage());
    return http.send("GET", "/ssh_keys" + qs, null)
        .map(e -> Json.page(e, "ssh_keys", SshKey.class));
  }

  @Override
  public Uni<List<SshKey>> all(SshKeyQuery q) {
    return Calls.all(page -> list(q.withPage(page, Calls.ALL_PER_PAGE)));
  }

  @Override
  public Uni<SshKey> update(long id, UpdateSshKeyRequest r) {
    ObjectNode body = Json.object();
    if (r.name() != null) {
      body.put("name", r.name());
    }
    if (r.labels() != null) {
      Labels.validate(r.labels());
      ObjectNode labels = body.putObject("labels");
      r.labels().forEach(labels::put);
    }
    return http.send("PUT", "/ssh_keys/" + id, body)
        .map(e -> Json.member(e, "ssh_key", SshKey.class));
  }

  @Override
  public Uni<Void> delete(long id) {
    return http.send("DELETE", "/ssh_keys/" + id, null).replaceWithVoid();
  }
}
