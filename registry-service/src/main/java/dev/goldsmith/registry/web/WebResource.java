package dev.goldsmith.registry.web;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.IntFunction;
import java.util.function.Supplier;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.logging.Log;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;

import dev.goldsmith.events.EventCodec;
import dev.goldsmith.events.EventType;
import dev.goldsmith.events.VerificationReport;
import dev.goldsmith.registry.api.ApiException;
import dev.goldsmith.registry.api.BuildsResource;
import dev.goldsmith.registry.api.FamiliesResource;
import dev.goldsmith.registry.api.Problem;
import dev.goldsmith.registry.api.Views;
import dev.goldsmith.registry.domain.BuildStatus;
import dev.goldsmith.registry.domain.TimelineEvent;
import dev.goldsmith.registry.domain.TimelineRepository;
import dev.goldsmith.registry.intake.FamilyCatalog;

/**
 * The operators' web view: builds, a build's stages and matrix, a family's promoted version and
 * history. Read-only (GET only); it reads through the API's own resources, so a page shows exactly
 * what the API answers, validated the same way, and {@code ApiAuthFilter} guards it like the API.
 * Every value is HTML-escaped by the templates.
 */
@Path("/ui")
@Produces(MediaType.TEXT_HTML)
public class WebResource {
  static final String HTML = MediaType.TEXT_HTML + ";charset=UTF-8";
  private static final int FAMILY_VERSIONS_PAGE = 50;

  @CheckedTemplate
  static class Templates {
    static native TemplateInstance builds(Pages.BuildsPage page);

    static native TemplateInstance build(Pages.BuildPage page);

    static native TemplateInstance families(Pages.FamiliesPage page);

    static native TemplateInstance family(Pages.FamilyPage page);

    static native TemplateInstance error(Pages.ErrorPage page);
  }

  private final BuildsResource buildsApi;
  private final FamiliesResource familiesApi;
  private final FamilyCatalog catalog;
  private final TimelineRepository timeline;
  private final ObjectMapper json = EventCodec.mapper();

  public WebResource(
      BuildsResource buildsApi,
      FamiliesResource familiesApi,
      FamilyCatalog catalog,
      TimelineRepository timeline) {
    this.buildsApi = buildsApi;
    this.familiesApi = familiesApi;
    this.catalog = catalog;
    this.timeline = timeline;
  }

  @GET
  @Operation(hidden = true)
  public Response home() {
    return Response.seeOther(URI.create("/ui/builds")).build();
  }

  @GET
  @Path("/builds")
  @Operation(hidden = true)
  public Response builds(
      @QueryParam("family") String family,
      @QueryParam("status") String status,
      @QueryParam("from") String from,
      @QueryParam("to") String to,
      @QueryParam("page") String page,
      @QueryParam("size") String size) {
    String f = blankToNull(family);
    String st = blankToNull(status);
    String since = blankToNull(from);
    String until = blankToNull(to);
    List<Problem.FieldProblem> errors = new ArrayList<>();
    Integer pg = number("page", page, errors);
    Integer sz = number("size", size, errors);
    Views.PageView<Views.BuildSummary> list =
        checked(errors, () -> buildsApi.list(f, st, since, until, pg, sz));
    Map<String, String> query = new LinkedHashMap<>();
    query.put("family", f);
    query.put("status", st == null ? null : st.toUpperCase(Locale.ROOT));
    query.put("from", since);
    query.put("to", until);
    query.put("size", sz == null ? null : sz.toString());
    IntFunction<String> link = p -> "/ui/builds" + query(query, p);
    return html(
        Templates.builds(
            new Pages.BuildsPage(
                list,
                f == null ? "" : f,
                st == null ? "" : st.toUpperCase(Locale.ROOT),
                since == null ? "" : since,
                until == null ? "" : until,
                list.size(),
                catalog.all().keySet().stream().sorted().toList(),
                Arrays.stream(BuildStatus.values()).map(Enum::name).toList(),
                list.page() > 0 ? link.apply(list.page() - 1) : null,
                list.page() + 1 < list.totalPages() ? link.apply(list.page() + 1) : null)));
  }

  @GET
  @Path("/builds/{buildId}")
  @Operation(hidden = true)
  public Response build(@PathParam("buildId") String buildId) {
    Views.BuildDetail d = buildsApi.get(buildId);
    VerificationReport report = read(d.verificationReport(), VerificationReport.class);
    JsonNode verdictEvent =
        d.timeline().stream()
            .filter(e -> EventType.VERIFICATION_FINISHED.name().equals(e.eventType()))
            .reduce((a, b) -> b)
            .map(Views.TimelineEntry::event)
            .orElse(null);
    return html(
        Templates.build(
            new Pages.BuildPage(
                d.build(),
                d.failureStage(),
                d.failureReason(),
                facts(d.spec()),
                StageTimeline.of(d.timeline()),
                report == null ? null : report.summary(),
                text(verdictEvent, "addressFamily"),
                verdictEvent == null || !verdictEvent.path("attempts").isInt()
                    ? null
                    : verdictEvent.path("attempts").asInt(),
                Matrix.of(report == null ? List.of() : report.binaries()),
                report == null ? List.of() : report.checks(),
                report == null ? List.of() : report.access(),
                d.timeline().stream()
                    .map(
                        e ->
                            new Pages.EventRow(
                                e.occurredAt(), e.eventType(), e.stage(), e.outcome()))
                    .toList())));
  }

  @GET
  @Path("/families")
  @Operation(hidden = true)
  public Response families() {
    return html(Templates.families(new Pages.FamiliesPage(familiesApi.list())));
  }

  @GET
  @Path("/families/{family}")
  @Operation(hidden = true)
  public Response family(@PathParam("family") String name, @QueryParam("page") String page) {
    List<Problem.FieldProblem> errors = new ArrayList<>();
    Integer pg = number("page", page, errors);
    checked(errors, () -> null);
    Views.FamilyDetail detail = familiesApi.get(name);
    Views.PageView<Views.VersionView> versions =
        familiesApi.versions(name, null, pg, FAMILY_VERSIONS_PAGE);
    List<Views.VersionView> revoked = new ArrayList<>();
    for (int p = 0; ; p++) {
      Views.PageView<Views.VersionView> r = familiesApi.versions(name, "REVOKED", p, 100);
      revoked.addAll(r.items());
      if (p + 1 >= r.totalPages()) {
        break;
      }
    }
    revoked.sort(
        Comparator.comparing(
                Views.VersionView::revokedAt, Comparator.nullsLast(Comparator.naturalOrder()))
            .reversed());
    List<Pages.OperatorAction> byHand =
        timeline.operatorActions(detail.name()).stream()
            .filter(e -> !"OPERATOR_REVOKE".equals(e.eventType))
            .map(this::action)
            .toList();
    IntFunction<String> link = p -> "/ui/families/" + detail.name() + "?page=" + p;
    return html(
        Templates.family(
            new Pages.FamilyPage(
                detail,
                byHand,
                revoked,
                versions,
                versions.page() > 0 ? link.apply(versions.page() - 1) : null,
                versions.page() + 1 < versions.totalPages()
                    ? link.apply(versions.page() + 1)
                    : null)));
  }

  /** Any other path under /ui: a 404 page. */
  @GET
  @Path("/{rest: .+}")
  @Operation(hidden = true)
  public Response unknown(@PathParam("rest") String rest) {
    throw ApiException.notFound("no such page: /ui/" + rest);
  }

  @ServerExceptionMapper
  public Response refused(ApiException e, UriInfo uri) {
    Problem p = e.problem(uri.getPath());
    return error(p.status(), p.title(), p.detail(), p.errors());
  }

  @ServerExceptionMapper
  public Response unexpected(RuntimeException e, UriInfo uri) {
    Log.errorf(e, "page failed path=%s", uri.getPath());
    return error(
        500,
        "Internal Server Error",
        "the page could not be made; the registry's log has the details",
        null);
  }

  private static Response error(
      int status, String title, String detail, List<Problem.FieldProblem> errors) {
    return Response.status(status)
        .type(HTML)
        .entity(
            Templates.error(
                    new Pages.ErrorPage(status, title, detail, errors == null ? List.of() : errors))
                .render())
        .build();
  }

  private static Response html(TemplateInstance page) {
    return Response.ok(page.render(), HTML).build();
  }

  private Pages.OperatorAction action(TimelineEvent e) {
    JsonNode details = read(e.payload);
    String action =
        switch (e.eventType) {
          case "OPERATOR_PROMOTE" -> "promoted by hand";
          default ->
              e.eventType
                  .substring("OPERATOR_".length())
                  .toLowerCase(Locale.ROOT)
                  .replace('_', ' ');
        };
    return new Pages.OperatorAction(
        e.occurredAt,
        action,
        text(details, "actor"),
        text(details, "reason"),
        text(details, "version"),
        e.buildId);
  }

  /** The scalar fields of a spec, in its order (nested ones as compact JSON). */
  private static List<Pages.Fact> facts(JsonNode spec) {
    List<Pages.Fact> facts = new ArrayList<>();
    if (spec == null || !spec.isObject()) {
      return facts;
    }
    Iterator<Map.Entry<String, JsonNode>> fields = spec.fields();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> f = fields.next();
      JsonNode v = f.getValue();
      if (v.isNull() || "verification".equals(f.getKey())) {
        continue;
      }
      facts.add(new Pages.Fact(f.getKey(), v.isValueNode() ? v.asText() : v.toString()));
    }
    return facts;
  }

  private <T> T read(JsonNode node, Class<T> type) {
    if (node == null || !node.isObject()) {
      return null;
    }
    try {
      return json.treeToValue(node, type);
    } catch (Exception e) {
      Log.debugf("not a %s: %s", type.getSimpleName(), e.getMessage());
      return null;
    }
  }

  private JsonNode read(String text) {
    if (text == null) {
      return null;
    }
    try {
      return json.readTree(text);
    } catch (Exception e) {
      return null;
    }
  }

  private static String text(JsonNode node, String field) {
    if (node == null || !node.hasNonNull(field)) {
      return null;
    }
    return node.get(field).asText();
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s.trim();
  }

  /** A whole number parameter, null when absent or (with an error noted) not a number. */
  private static Integer number(String name, String value, List<Problem.FieldProblem> errors) {
    String v = blankToNull(value);
    if (v == null) {
      return null;
    }
    try {
      return Integer.valueOf(v);
    } catch (NumberFormatException e) {
      errors.add(new Problem.FieldProblem(name, "must be a whole number"));
      return null;
    }
  }

  /**
   * Reads through the API; a 400 names the parameters this page found wrong too, so every problem
   * shows at once.
   */
  private static <T> T checked(List<Problem.FieldProblem> errors, Supplier<T> read) {
    T result;
    try {
      result = read.get();
    } catch (ApiException e) {
      Problem p = e.problem(null);
      if (errors.isEmpty() || p.status() != 400) {
        throw e;
      }
      List<Problem.FieldProblem> all = new ArrayList<>(errors);
      if (p.errors() != null) {
        all.addAll(p.errors());
      }
      throw ApiException.badRequest(all);
    }
    if (!errors.isEmpty()) {
      throw ApiException.badRequest(errors);
    }
    return result;
  }

  private static String query(Map<String, String> params, int page) {
    StringBuilder q = new StringBuilder("?page=").append(page);
    params.forEach(
        (k, v) -> {
          if (v != null) {
            q.append('&')
                .append(k)
                .append('=')
                .append(URLEncoder.encode(v, StandardCharsets.UTF_8));
          }
        });
    return q.toString();
  }
}
