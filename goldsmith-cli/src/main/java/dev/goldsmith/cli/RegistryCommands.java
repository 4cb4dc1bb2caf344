package dev.goldsmith.cli;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.JsonNode;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** The commands that are one or two calls of the registry's API. */
final class RegistryCommands {
  private RegistryCommands() {}

  static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }

  /** {@code goldsmith builds}. */
  @Command(name = "builds", mixinStandardHelpOptions = true, description = "Builds, newest first.")
  static class Builds implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--family", paramLabel = "F", description = "only this family's")
    String family;

    @Option(
        names = "--status",
        paramLabel = "S",
        description = "only builds in this status (PROMOTED, DEFECTIVE, FAILED, …)")
    String status;

    @Option(
        names = "--limit",
        paramLabel = "N",
        defaultValue = "20",
        description = "at most N (1..100; default ${DEFAULT-VALUE})")
    int limit;

    @Override
    public Integer call() {
      Goldsmith g = Goldsmith.root(spec);
      StringBuilder q = new StringBuilder("/api/builds?size=" + limit);
      if (family != null) {
        q.append("&family=").append(enc(family));
      }
      if (status != null) {
        q.append("&status=").append(enc(status));
      }
      JsonNode page = g.registry().get(q.toString());
      if (g.json()) {
        g.printJson(page);
        return ExitCode.OK;
      }
      List<List<String>> rows = new ArrayList<>();
      for (JsonNode b : page.path("items")) {
        rows.add(
            List.of(
                b.path("buildId").asText(),
                b.path("family").asText(),
                b.path("version").asText("-"),
                b.path("status").asText(),
                b.path("verdict").asText("-"),
                b.path("createdAt").asText("-"),
                b.path("statusReason").asText("")));
      }
      g.out()
          .print(
              Render.table(
                  List.of("BUILD", "FAMILY", "VERSION", "STATUS", "VERDICT", "CREATED", "REASON"),
                  rows));
      return ExitCode.OK;
    }
  }

  /** {@code goldsmith versions FAMILY}. */
  @Command(
      name = "versions",
      mixinStandardHelpOptions = true,
      description = "A family's versions, newest first; * marks the promoted one.")
  static class Versions implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(paramLabel = "FAMILY")
    String family;

    @Option(names = "--status", paramLabel = "S", description = "only versions in this status")
    String status;

    @Override
    public Integer call() {
      Goldsmith g = Goldsmith.root(spec);
      String q =
          "/api/families/"
              + enc(family)
              + "/versions?size=100"
              + (status == null ? "" : "&status=" + enc(status));
      JsonNode page = g.registry().get(q);
      if (g.json()) {
        g.printJson(page);
        return ExitCode.OK;
      }
      List<List<String>> rows = new ArrayList<>();
      for (JsonNode v : page.path("items")) {
        String st = v.path("status").asText();
        rows.add(
            List.of(
                ("PROMOTED".equals(st) ? "* " : "  ") + v.path("version").asText(),
                st,
                v.path("imageId").asText("-"),
                v.path("imageExists").asBoolean() ? "yes" : "no",
                v.path("createdAt").asText("-"),
                reason(v)));
      }
      g.out()
          .print(
              Render.table(
                  List.of("  VERSION", "STATUS", "IMAGE", "SNAPSHOT", "CREATED", "REASON"), rows));
      return ExitCode.OK;
    }

    private static String reason(JsonNode v) {
      if (v.hasNonNull("revokeReason")) {
        return "revoked by "
            + v.path("revokedBy").asText()
            + ": "
            + v.path("revokeReason").asText();
      }
      return v.path("statusReason").asText("");
    }
  }

  /** {@code goldsmith promote FAMILY VERSION --reason R}. */
  @Command(
      name = "promote",
      mixinStandardHelpOptions = true,
      description =
          "Promote a VERIFIED or SUPERSEDED version by hand (needs a write token); who and why are"
              + " recorded.")
  static class Promote implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FAMILY")
    String family;

    @Parameters(index = "1", paramLabel = "VERSION")
    String version;

    @Option(names = "--reason", required = true, paramLabel = "WHY", description = "why (recorded)")
    String reason;

    @Override
    public Integer call() {
      Goldsmith g = Goldsmith.root(spec);
      JsonNode v = promote(g, family, version, reason);
      report(g, v, "promoted");
      return ExitCode.OK;
    }
  }

  static JsonNode promote(Goldsmith g, String family, String version, String reason) {
    return g.registry()
        .post(
            "/api/families/" + enc(family) + "/versions/" + enc(version) + "/promote",
            Map.of("reason", reason));
  }

  static void report(Goldsmith g, JsonNode v, String what) {
    if (g.json()) {
      g.printJson(v);
    } else {
      g.out()
          .println(
              v.path("family").asText()
                  + " "
                  + v.path("version").asText()
                  + " "
                  + what
                  + " (status "
                  + v.path("status").asText()
                  + ", image "
                  + v.path("imageId").asText("-")
                  + ")");
    }
  }

  /** {@code goldsmith rollback FAMILY [--to V] --reason R}. */
  @Command(
      name = "rollback",
      mixinStandardHelpOptions = true,
      description = {
        "Promote the version before the promoted one again (or --to V): the newest older version"
            + " that is SUPERSEDED or VERIFIED and whose snapshot still exists. Needs a write"
            + " token; it is a promotion, recorded with who and why."
      })
  static class Rollback implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(paramLabel = "FAMILY")
    String family;

    @Option(names = "--to", paramLabel = "V", description = "the version to go back to")
    String to;

    @Option(names = "--reason", required = true, paramLabel = "WHY", description = "why (recorded)")
    String reason;

    @Override
    public Integer call() {
      Goldsmith g = Goldsmith.root(spec);
      String target = to;
      if (target == null) {
        JsonNode page = g.registry().get("/api/families/" + enc(family) + "/versions?size=100");
        target = previous(family, page);
      }
      JsonNode v = promote(g, family, target, reason);
      if (g.json()) {
        g.printJson(v);
      } else {
        g.out()
            .println(
                v.path("family").asText()
                    + " rolled back to "
                    + v.path("version").asText()
                    + " (status "
                    + v.path("status").asText()
                    + ", image "
                    + v.path("imageId").asText("-")
                    + ")");
      }
      return ExitCode.OK;
    }

    /** The newest version older than the promoted one that can be promoted again. */
    static String previous(String family, JsonNode page) {
      boolean pastPromoted = false;
      String promoted = null;
      for (JsonNode v : page.path("items")) {
        String st = v.path("status").asText();
        if ("PROMOTED".equals(st)) {
          pastPromoted = true;
          promoted = v.path("version").asText();
          continue;
        }
        if (pastPromoted
            && ("SUPERSEDED".equals(st) || "VERIFIED".equals(st))
            && v.path("imageExists").asBoolean()) {
          return v.path("version").asText();
        }
      }
      throw new CliException(
          ExitCode.FAILED_REQUEST,
          promoted == null
              ? "family " + family + " has no promoted version to roll back from"
              : "no version of "
                  + family
                  + " before "
                  + promoted
                  + " is SUPERSEDED or VERIFIED with its snapshot kept (see goldsmith versions "
                  + family
                  + ")");
    }
  }

  /** {@code goldsmith revoke FAMILY VERSION --reason R}. */
  @Command(
      name = "revoke",
      mixinStandardHelpOptions = true,
      description =
          "Revoke a version: never promotable again, its snapshot goes (needs a write token).")
  static class Revoke implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FAMILY")
    String family;

    @Parameters(index = "1", paramLabel = "VERSION")
    String version;

    @Option(names = "--reason", required = true, paramLabel = "WHY", description = "why (recorded)")
    String reason;

    @Override
    public Integer call() {
      Goldsmith g = Goldsmith.root(spec);
      JsonNode v =
          g.registry()
              .post(
                  "/api/families/" + enc(family) + "/versions/" + enc(version) + "/revoke",
                  Map.of("reason", reason));
      report(g, v, "revoked");
      return ExitCode.OK;
    }
  }
}
