package dev.goldsmith.hcloud.internal;

import java.util.List;
import java.util.Optional;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.smallrye.mutiny.Uni;

import dev.goldsmith.hcloud.api.ImagesApi;
import dev.goldsmith.hcloud.label.Labels;
import dev.goldsmith.hcloud.model.Action;
import dev.goldsmith.hcloud.model.Image;
import dev.goldsmith.hcloud.model.ImageQuery;
import dev.goldsmith.hcloud.model.ImageStatus;
import dev.goldsmith.hcloud.model.ImageType;
import dev.goldsmith.hcloud.model.Page;
import dev.goldsmith.hcloud.model.UpdateImageRequest;

/** {@link ImagesApi} over the request path. */
public final class ImagesImpl implements ImagesApi {

  private final RequestExecutor http;

  public ImagesImpl(RequestExecutor http) {
    this.http = http;
  }

  @Override
  public Uni<Optional<Image>> get(long id) {
    return Calls.optional(
        http.send("GET", "/images/" + id, null).map(e -> Json.member(e, "image", Image.class)));
  }

  @Override
  public Uni<Page<Image>> list(ImageQuery q) {
    QueryString qs =
        new QueryString()
            .addAll("type", q.types().stream().map(ImageType::wireValue).toList())
            .addAll("status", q.statuses().stream().map(ImageStatus::wireValue).toList())
            .add("label_selector", q.labelSelector())
            .add("architecture", q.architecture() == null ? null : q.architecture().wireValue())
            .add("name", q.name())
            .add("include_deprecated", q.includeDeprecated())
            .add("bound_to", q.boundTo())
            .addAll("sort", q.sort())
            .add("page", q.page())
            .add("per_page", q.perPage());
    return http.send("GET", "/images" + qs, null).map(e -> Json.page(e, "images", Image.class));
  }

  @Override
  public Uni<List<Image>> all(ImageQuery q) {
    return Calls.all(page -> list(q.withPage(page, Calls.ALL_PER_PAGE)));
  }

  @Override
  public Uni<Image> update(long id, UpdateImageRequest r) {
    ObjectNode body = Json.object();
    if (r.description() != null) {
      body.put("description", r.description());
    }
    if (r.type() != null) {
      body.put("type", r.type().wireValue());
    }
    if (r.labels() != null) {
      Labels.validate(r.labels());
      ObjectNode labels = body.putObject("labels");
      r.labels().forEach(labels::put);
    }
    return http.send("PUT", "/images/" + id, body).map(e -> Json.member(e, "image", Image.class));
  }

  @Override
  public Uni<Void> delete(long id) {
    return http.send("DELETE", "/images/" + id, null).replaceWithVoid();
  }

  @Override
  public Uni<Action> changeProtection(long id, boolean delete) {
    ObjectNode body = Json.object();
    body.put("delete", delete);
    return http.send("POST", "/images/" + id + "/actions/change_protection", body)
        .map(e -> Json.member(e, "action", Action.class));
  }
}
