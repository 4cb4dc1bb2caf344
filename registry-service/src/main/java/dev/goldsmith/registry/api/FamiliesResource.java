package dev.goldsmith.registry.api;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SecuritySchemeType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.security.SecurityScheme;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.quarkus.hibernate.orm.panache.PanacheQuery;
import io.quarkus.panache.common.Sort;

import dev.goldsmith.families.Family;
import dev.goldsmith.registry.cloud.RegistryCloud;
import dev.goldsmith.registry.domain.ImageVersion;
import dev.goldsmith.registry.domain.ImageVersionRepository;
import dev.goldsmith.registry.domain.VersionStatus;
import dev.goldsmith.registry.installation.Installation;
import dev.goldsmith.registry.intake.FamilyCatalog;
import dev.goldsmith.registry.promotion.CloudTaskRunner;
import dev.goldsmith.registry.promotion.PromotionService;
import dev.goldsmith.registry.readmodel.PromotedCache;
import dev.goldsmith.registry.readmodel.PromotedReadModel;
import dev.goldsmith.support.cloud.GoldsmithLabels;

/** Families, their versions and the promoted image; promotion and revocation by operators. */
@Path("/api/families")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "families")
@SecurityScheme(
    securitySchemeName = "bearer",
    type = SecuritySchemeType.HTTP,
    scheme = "bearer",
    description = "a token of goldsmith.registry.api.tokens")
public class FamiliesResource {
  private final FamilyCatalog catalog;
  private final ImageVersionRepository versions;
  private final PromotionService promotions;
  private final CloudTaskRunner runner;
  private final RegistryCloud cloud;
  private final Installation installation;
  private final PromotedReadModel promotedReadModel;

  public FamiliesResource(
      FamilyCatalog catalog,
      ImageVersionRepository versions,
      PromotionService promotions,
      CloudTaskRunner runner,
      RegistryCloud cloud,
      Installation installation,
      PromotedReadModel promotedReadModel) {
    this.catalog = catalog;
    this.versions = versions;
    this.promotions = promotions;
    this.runner = runner;
    this.cloud = cloud;
    this.installation = installation;
    this.promotedReadModel = promotedReadModel;
  }

  @GET
  @Operation(summary = "Every family defined in the family files, with its promoted image")
  public List<Views.FamilySummary> list() {
    return catalog.all().values().stream()
        .sorted(java.util.Comparator.comparing(Family::name))
        .map(
            f ->
                new Views.FamilySummary(
                    f.name(),
                    f.description(),
                    versions.promoted(f.name()).map(Views.PromotedImage::of).orElse(null)))
        .toList();
  }

  @GET
  @Path("/{family}")
  @Operation(summary = "A family's settings, promoted image and versions by status")
  public Views.FamilyDetail get(@PathParam("family") String name) {
    Family f = family(name);
    Map<String, Long> counts = new LinkedHashMap<>();
    for (VersionStatus s : VersionStatus.values()) {
      counts.put(s.name(), versions.count("family = ?1 and status = ?2", f.name(), s));
    }
    return new Views.FamilyDetail(
        f.name(),
        f.description(),
        f.baseImage(),
        f.serverType(),
        f.location(),
        f.playbook(),
        f.networkMode(),
        f.keepPrevious(),
        f.extraVars(),
        f.verification(),
        versions.promoted(f.name()).map(Views.PromotedImage::of).orElse(null),
        counts);
  }

  @GET
  @Path("/{family}/promoted")
  @Operation(summary = "The promoted image of a family: what foundation services deploy")
  @APIResponse(
      responseCode = "200",
      description =
          "The promoted image, with an entity tag (ETag); send it back in If-None-Match to get 304"
              + " while it stays promoted",
      content =
          @Content(
              mediaType = MediaType.APPLICATION_JSON,
              schema = @Schema(implementation = Views.PromotedImage.class)))
  @APIResponse(responseCode = "304", description = "Still the image of the If-None-Match tag")
  @APIResponse(responseCode = "404", description = "The family has no promoted version")
  public Response promoted(
      @PathParam("family") String name,
      @HeaderParam(HttpHeaders.IF_NONE_MATCH) String ifNoneMatch) {
    Params p = new Params();
    String family = p.family("family", name);
    p.check();
    PromotedCache.Lookup<Views.PromotedImage> lookup = promotedReadModel.lookup(family);
    if (lookup.image().isEmpty()) {
      throw ApiException.notFound("family " + family + " has no promoted version");
    }
    if (lookup.matches(ifNoneMatch)) {
      return Response.notModified()
          .header(HttpHeaders.ETAG, lookup.etag())
          .header(HttpHeaders.CACHE_CONTROL, "no-cache")
          .build();
    }
    return Response.ok(lookup.json(), MediaType.APPLICATION_JSON_TYPE)
        .header(HttpHeaders.ETAG, lookup.etag())
        .header(HttpHeaders.CACHE_CONTROL, "no-cache")
        .build();
  }

  @GET
  @Path("/{family}/versions")
  @Operation(summary = "Versions of a family with their status, newest first")
  public Views.PageView<Views.VersionView> versions(
      @PathParam("family") String name,
      @QueryParam("status") String status,
      @QueryParam("page") Integer page,
      @QueryParam("size") Integer size) {
    Params p = new Params();
    String family = p.family("family", name);
    VersionStatus st = p.enumValue("status", status, VersionStatus.class);
    int pg = p.page(page);
    int sz = p.size(size);
    p.check();
    Sort sort = Sort.descending("createdAt", "id");
    PanacheQuery<ImageVersion> q =
        st == null
            ? versions.find("family", sort, family)
            : versions.find("family = ?1 and status = ?2", sort, family, st);
    q.page(pg, sz);
    return new Views.PageView<>(
        q.list().stream().map(Views.VersionView::of).toList(), pg, sz, q.count(), q.pageCount());
  }

  @GET
  @Path("/{family}/versions/{version}")
  @Operation(summary = "One version of a family")
  public Views.VersionView version(
      @PathParam("family") String name, @PathParam("version") String version) {
    Params p = new Params();
    String family = p.family("family", name);
    String v = p.version("version", version);
    p.check();
    return versions
        .byFamilyAndVersion(family, v)
        .map(Views.VersionView::of)
        .orElseThrow(() -> ApiException.notFound("family " + family + " has no version " + v));
  }

  @GET
  @Path("/{family}/foreign-snapshots")
  @Operation(
      summary =
          "Snapshots labelled with the family that this installation does not own (no"
              + " goldsmith.dev/managed=true or another goldsmith.dev/installation): reported,"
              + " never modified")
  public List<Views.ForeignSnapshot> foreignSnapshots(@PathParam("family") String name) {
    Params p = new Params();
    String family = p.family("family", name);
    p.check();
    String id = installation.id();
    return cloud.foreignFamilySnapshots(family, id).stream()
        .map(
            i ->
                new Views.ForeignSnapshot(
                    i.id(),
                    i.description(),
                    i.labels(),
                    i.protection() != null && i.protection().delete(),
                    !GoldsmithLabels.isManaged(i.labels())
                        ? "not labelled " + RegistryCloud.LABEL_MANAGED + "=true"
                        : "labelled for installation '"
                            + i.labels().get(RegistryCloud.LABEL_INSTALLATION)
                            + "', not this one ('"
                            + id
                            + "')"))
        .toList();
  }

  @POST
  @Path("/{family}/versions/{version}/promote")
  @Consumes(MediaType.APPLICATION_JSON)
  @Operation(
      summary =
          "Promote a VERIFIED or SUPERSEDED version by hand (the explicit rollback: the only way"
              + " the promoted version moves back); its snapshot must still exist. Who (the token's"
              + " identity) and why (the body's reason) go to the timeline and ImagePromoted.")
  @APIResponse(responseCode = "200", description = "now PROMOTED")
  @APIResponse(responseCode = "400", description = "reason missing")
  @APIResponse(responseCode = "409", description = "not VERIFIED/SUPERSEDED or snapshot gone")
  @SecurityRequirement(name = "bearer")
  public Views.VersionView promote(
      @PathParam("family") String name,
      @PathParam("version") String version,
      Views.ActionRequest body,
      @Context ContainerRequestContext request) {
    Params p = new Params();
    String family = p.family("family", name);
    String v = p.version("version", version);
    String reason = p.reason("reason", body == null ? null : body.reason());
    p.check();
    ImageVersion promoted = promotions.promoteManually(family, v, actor(request), reason);
    runner.afterCommit();
    return Views.VersionView.of(promoted);
  }

  @POST
  @Path("/{family}/versions/{version}/revoke")
  @Consumes(MediaType.APPLICATION_JSON)
  @Operation(
      summary =
          "Revoke a version: REVOKED (who and why recorded), never promotable again, its snapshot"
              + " goes")
  @APIResponse(responseCode = "200", description = "now REVOKED")
  @APIResponse(responseCode = "400", description = "reason missing")
  @APIResponse(responseCode = "409", description = "the version is the promoted one")
  @SecurityRequirement(name = "bearer")
  public Views.VersionView revoke(
      @PathParam("family") String name,
      @PathParam("version") String version,
      Views.ActionRequest body,
      @Context ContainerRequestContext request) {
    Params p = new Params();
    String family = p.family("family", name);
    String v = p.version("version", version);
    String reason = p.reason("reason", body == null ? null : body.reason());
    p.check();
    ImageVersion revoked = promotions.revoke(family, v, actor(request), reason);
    runner.afterCommit();
    return Views.VersionView.of(revoked);
  }

  private static String actor(ContainerRequestContext request) {
    Object a = request.getProperty(ApiAuthFilter.ACTOR);
    return a == null ? "unknown" : a.toString();
  }

  private Family family(String name) {
    Params p = new Params();
    p.family("family", name);
    p.check();
    return catalog
        .find(name)
        .orElseThrow(() -> ApiException.notFound("family " + name + " is not defined"));
  }
}
