package dev.goldsmith.registry.api;

import java.time.Instant;
import java.util.EnumSet;
import java.util.Set;
import java.util.UUID;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.hibernate.orm.panache.PanacheQuery;

import dev.goldsmith.events.BuildSpec;
import dev.goldsmith.events.EventCodec;
import dev.goldsmith.events.Provenance;
import dev.goldsmith.events.Verdict;
import dev.goldsmith.registry.domain.Build;
import dev.goldsmith.registry.domain.BuildRepository;
import dev.goldsmith.registry.domain.BuildStatus;
import dev.goldsmith.registry.domain.ImageVersion;
import dev.goldsmith.registry.domain.ImageVersionRepository;
import dev.goldsmith.registry.domain.TimelineRepository;
import dev.goldsmith.registry.domain.VersionStatus;

/** Builds: filtered listing and detail with timeline and verification report. */
@Path("/api/builds")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "builds")
public class BuildsResource {
  private final BuildRepository builds;
  private final TimelineRepository timeline;
  private final ImageVersionRepository versions;
  private final ObjectMapper json;

  public BuildsResource(
      BuildRepository builds,
      TimelineRepository timeline,
      ImageVersionRepository versions,
      ObjectMapper json) {
    this.builds = builds;
    this.timeline = timeline;
    this.versions = versions;
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

  @GET
  @Path("/{buildId}/manifest")
  @Operation(
      summary =
          "The build's manifest (Packer's manifest shape) with its provenance, for a version that"
              + " passed verification")
  @APIResponse(responseCode = "200", description = "the manifest")
  @APIResponse(responseCode = "400", description = "the build id is not a UUID")
  @APIResponse(responseCode = "404", description = "no such build")
  @APIResponse(
      responseCode = "409",
      description = "the build has no verified artifact (not yet verified, failed, or rejected)")
  public Manifest manifest(@PathParam("buildId") String buildId) {
    Params p = new Params();
    UUID id = p.uuid("buildId", buildId);
    p.check();
    Build b = builds.findById(id);
    if (b == null) {
      throw ApiException.notFound("no build " + id);
    }
    ImageVersion v = versions.byBuild(id).orElse(null);
    if (v == null
        || !MANIFEST_STATUSES.contains(v.status)
        || !Verdict.PASSED.name().equals(b.verdict)
        || v.imageId == null) {
      String where = v == null ? "no version" : "version " + v.version + " is " + v.status;
      throw new ApiException(
          409,
          "no-verified-artifact",
          "No verified artifact",
          "build " + id + " has no verified artifact: " + where);
    }
    BuildSpec spec = b.specJson == null ? null : readOrNull(b.specJson, BuildSpec.class);
    Provenance prov =
        b.provenanceJson == null ? null : readOrNull(b.provenanceJson, Provenance.class);
    return Manifest.of(b, v, spec, prov);
  }

  /** Versions that passed verification and still stand: only they have a manifest. */
  static final Set<VersionStatus> MANIFEST_STATUSES =
      EnumSet.of(VersionStatus.PROMOTED, VersionStatus.VERIFIED, VersionStatus.SUPERSEDED);

  private static <T> T readOrNull(String json, Class<T> type) {
    try {
      return EventCodec.fromJson(json, type);
    } catch (RuntimeException e) {
      return null;
    }
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
