package dev.goldsmith.registry.api;

import java.time.Instant;
import java.util.UUID;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.hibernate.orm.panache.PanacheQuery;

import dev.goldsmith.registry.domain.Build;
import dev.goldsmith.registry.domain.BuildRepository;
import dev.goldsmith.registry.domain.BuildStatus;
import dev.goldsmith.registry.domain.TimelineRepository;

/** Builds: filtered listing and detail with timeline and verification report. */
@Path("/api/builds")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "builds")
public class BuildsResource {
  private final BuildRepository builds;
  private final TimelineRepository timeline;
  private final ObjectMapper json;

  public BuildsResource(BuildRepository builds, TimelineRepository timeline, ObjectMapper json) {
    this.builds = builds;
    this.timeline = timeline;
    this.json = json;
  }

  @GET
  @Operation(
      summary = "Builds, newest first, filtered by family, status and creation time [from, to)")
  public Views.PageView<Views.BuildSummary> list(
      @QueryParam("family") String family,
      @QueryParam("status") String status,
      @QueryParam("from") String from,
      @QueryParam("to") String to,
      @QueryParam("page") Integer page,
      @QueryParam("size") Integer size) {
    Params p = new Params();
    String f = p.family("family", family);
    BuildStatus st = p.enumValue("status", status, BuildStatus.class);
    Instant since = p.instant("from", from);
    Instant until = p.instant("to", to);
    int pg = p.page(page);
    int sz = p.size(size);
    p.check();
    PanacheQuery<Build> q = builds.search(f, st, since, until);
    q.page(pg, sz);
    return new Views.PageView<>(
        q.list().stream().map(Views.BuildSummary::of).toList(), pg, sz, q.count(), q.pageCount());
  }

  @GET
  @Path("/{buildId}")
  @Operation(summary = "A build with its answer, spec, verification report and timeline")
  public Views.BuildDetail get(@PathParam("buildId") String buildId) {
    Params p = new Params();
    UUID id = p.uuid("buildId", buildId);
    p.check();
    Build b = builds.findById(id);
    if (b == null) {
      throw ApiException.notFound("no build " + id);
    }
    return new Views.BuildDetail(
        Views.BuildSummary.of(b),
        b.failureStage,
        b.failureReason,
        parse(b.specJson),
        parse(b.answerJson),
        parse(b.reportJson),
        timeline.forBuild(id).stream().map(e -> Views.entry(e, parse(e.payload))).toList());
  }

  private JsonNode parse(String text) {
    if (text == null) {
      return null;
    }
    try {
      return json.readTree(text);
    } catch (Exception e) {
      return json.getNodeFactory().textNode(text);
    }
  }
}
