package dev.goldsmith.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.goldsmith.events.BuildOverrides;
import dev.goldsmith.events.BuildRequested;
import dev.goldsmith.events.NetworkMode;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code goldsmith build FAMILY …}: publish a BuildRequested and, with --watch, follow it. */
@Command(
    name = "build",
    mixinStandardHelpOptions = true,
    description = {
      "Request a build of FAMILY (a CloudEvents BuildRequested on goldsmith.build.requested).",
      "With --watch, follow it: one line per stage with elapsed time (a progress bar while a stage"
          + " runs, on a terminal), the users x binaries matrix at the end; the exit code says"
          + " how it ended (0 only when promoted)."
    },
    subcommands = {BuildCommand.Show.class})
public class BuildCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(index = "0", arity = "0..1", paramLabel = "FAMILY", description = "the family")
  String family;

  @Option(
      names = "--network-mode",
      paramLabel = "MODE",
      description = "ipv4, ipv6 or auto (default: the family's)")
  String networkMode;

  @Option(
      names = "--var",
      paramLabel = "K=V",
      description =
          "an extra var override, repeatable: k=v (a string) or k:=JSON (any JSON value, e.g."
              + " a list); only the family's overridable vars")
  List<String> vars = new ArrayList<>();

  @Option(
      names = "--image-version",
      paramLabel = "V",
      description = "this version instead of the next one (YYYYMMDD-vN)")
  String version;

  @Option(names = "--base-image", paramLabel = "IMAGE", description = "override the base image")
  String baseImage;

  @Option(names = "--server-type", paramLabel = "TYPE", description = "override the server type")
  String serverType;

  @Option(names = "--location", paramLabel = "LOC", description = "override the location")
  String location;

  @Option(
      names = "--build-id",
      paramLabel = "UUID",
      description =
          "the build id (the idempotency key: the same id always gets the same answer; default:"
              + " a new one)")
  UUID buildId;

  @Option(
      names = "--requested-by",
      paramLabel = "WHO",
      defaultValue = "cli/${sys:user.name}",
      description = "who asks (default ${DEFAULT-VALUE})")
  String requestedBy;

  @Option(names = "--watch", description = "follow the build until it ends")
  boolean watch;

  @Option(
      names = "--manifest",
      paramLabel = "FILE",
      description =
          "with --watch: write the build's Packer-style manifest (artifact id, custom data) to FILE"
              + " once it is verified")
  Path manifest;

  @Option(
      names = "--timeout",
      paramLabel = "DURATION",
      defaultValue = "PT45M",
      converter = DurationConverter.class,
      description = "with --watch: give up after this long (e.g. 30m, 90s; default 45m)")
  Duration timeout;

  @Option(
      names = "--elapsed-from",
      paramLabel = "EPOCH_SECONDS",
      description =
          "with --watch: count the elapsed seconds of the stage lines from this instant (a script's"
              + " own start) instead of from the request")
  Long elapsedFrom;

  @Option(
      names = "--interval",
      paramLabel = "DURATION",
      defaultValue = "PT1S",
      converter = DurationConverter.class,
      hidden = true)
  Duration interval;

  @Override
  public Integer call() {
    Goldsmith g = Goldsmith.root(spec);
    if (family == null) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), "Missing required parameter: 'FAMILY' (or: build show ID)");
    }
    if (manifest != null && !watch) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), "--manifest needs --watch (the manifest exists once verified)");
    }
    BuildRequested request = request(spec.commandLine());
    Broker.publish(g.bootstrap, request);
    PrintWriter progress = g.json() ? g.err() : g.out();
    if (!watch) {
      if (g.json()) {
        ObjectNode o = Registry.JSON.createObjectNode();
        o.put("buildId", request.buildId().toString());
        o.put("family", request.family());
        o.put("requestedBy", request.requestedBy());
        g.printJson(o);
      } else {
        g.out().println(request.buildId());
      }
      return ExitCode.OK;
    }
    Instant origin =
        elapsedFrom != null ? Instant.ofEpochSecond(elapsedFrom) : request.occurredAt();
    progress.printf(
        "[%4ds] BuildRequested %s (build %s)%n",
        Render.seconds(origin, request.occurredAt()), request.family(), request.buildId());
    progress.flush();
    Watcher w =
        new Watcher(g.registry(), progress, g.tty && !g.json(), interval, timeout, Instant.now());
    JsonNode detail =
        w.watch(
            request.buildId(),
            origin,
            request.occurredAt(),
            buildId != null && elapsedFrom == null);
    return finish(g, detail, manifest);
  }

  /** The request the options describe. */
  BuildRequested request(CommandLine cl) {
    NetworkMode mode = null;
    if (networkMode != null) {
      try {
        mode = NetworkMode.fromWire(networkMode);
      } catch (IllegalArgumentException e) {
        throw new CommandLine.ParameterException(cl, "--network-mode: " + e.getMessage());
      }
    }
    Map<String, Object> extra = vars.isEmpty() ? null : parseVars(cl, vars);
    BuildOverrides o = new BuildOverrides(version, baseImage, serverType, location, mode, extra);
    boolean none =
        version == null
            && baseImage == null
            && serverType == null
            && location == null
            && mode == null
            && extra == null;
    return new BuildRequested(
        buildId != null ? buildId : UUID.randomUUID(),
        family,
        none ? null : o,
        requestedBy,
        Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MILLIS));
  }

  /** {@code k=v} (a string) and {@code k:=JSON} (any value), in order. */
  static Map<String, Object> parseVars(CommandLine cl, List<String> vars) {
    Map<String, Object> out = new LinkedHashMap<>();
    for (String v : vars) {
      int eq = v.indexOf('=');
      if (eq <= 0) {
        throw new CommandLine.ParameterException(cl, "--var '" + v + "': expected k=v or k:=JSON");
      }
      if (v.charAt(eq - 1) == ':') {
        String key = v.substring(0, eq - 1);
        try {
          out.put(key, Registry.JSON.readValue(v.substring(eq + 1), Object.class));
        } catch (IOException e) {
          throw new CommandLine.ParameterException(
              cl, "--var " + key + ":= is not valid JSON: " + Registry.oneLine(e.getMessage()));
        }
      } else {
        out.put(v.substring(0, eq), v.substring(eq + 1));
      }
    }
    return out;
  }

  /** Prints how the build ended and writes the manifest; returns the build's exit code. */
  static int finish(Goldsmith g, JsonNode detail, Path manifest) {
    String status = detail.at("/build/status").asText();
    int code = ExitCode.forStatus(status);
    String id = detail.at("/build/buildId").asText();
    String manifestProblem = null;
    if (manifest != null) {
      if ("PROMOTED".equals(status) || "VERIFIED".equals(status)) {
        Registry.Answer a = g.registry().fetch("/api/builds/" + id + "/manifest");
        if (a.ok()) {
          try {
            JsonNode m = Registry.JSON.readTree(a.body());
            Files.writeString(
                manifest,
                Registry.JSON
                        .copy()
                        .enable(SerializationFeature.INDENT_OUTPUT)
                        .writeValueAsString(m)
                    + "\n");
          } catch (IOException e) {
            manifestProblem = "cannot write " + manifest + ": " + Registry.oneLine(e.getMessage());
          }
        } else {
          manifestProblem =
              "no manifest for build " + id + ": " + Registry.problemLine(a.status(), a.body());
        }
      } else {
        manifestProblem = "no manifest written: the build ended " + status;
      }
      if (manifestProblem != null && code == ExitCode.OK) {
        code = ExitCode.FAILED_REQUEST;
      }
    }
    if (g.json()) {
      ObjectNode o = Registry.JSON.createObjectNode();
      o.put("buildId", id);
      o.put("family", detail.at("/build/family").asText());
      o.put("version", Render.text(detail.path("build"), "version"));
      o.put("status", status);
      o.put("verdict", Render.text(detail.path("build"), "verdict"));
      JsonNode image = detail.at("/build/imageId");
      o.set("imageId", image.isMissingNode() ? null : image);
      o.put("exitCode", code);
      o.put("manifest", manifest != null && manifestProblem == null ? manifest.toString() : null);
      o.set("detail", detail);
      g.printJson(o);
    } else {
      PrintWriter out = g.out();
      JsonNode report = report(detail);
      if (report != null && !report.isMissingNode() && !report.isNull()) {
        out.println();
        out.print(Render.matrix(report));
      }
      out.println(endLine(detail));
      if (manifest != null && manifestProblem == null) {
        out.println("manifest written to " + manifest);
      }
      out.flush();
    }
    if (manifestProblem != null) {
      g.err().println("goldsmith: " + manifestProblem);
      g.err().flush();
    }
    return code;
  }

  /** The verification report: the registry's copy, else the VerificationFinished event's. */
  static JsonNode report(JsonNode detail) {
    JsonNode r = detail.path("verificationReport");
    if (r.isObject()) {
      return r;
    }
    for (JsonNode e : detail.path("timeline")) {
      if ("VERIFICATION_FINISHED".equals(e.path("eventType").asText())) {
        return e.at("/event/report");
      }
    }
    return null;
  }

  /** The last line: what became of the build. */
  static String endLine(JsonNode detail) {
    JsonNode b = detail.path("build");
    String status = b.path("status").asText();
    String head = status + ": " + b.path("family").asText() + " " + b.path("version").asText("-");
    return switch (status) {
      case "PROMOTED" -> head + " promoted as image " + b.path("imageId").asText();
      case "REJECTED" -> head + " rejected: " + b.path("statusReason").asText("");
      default -> {
        String why =
            detail.hasNonNull("failureReason")
                ? detail.path("failureStage").asText("")
                    + ": "
                    + detail.path("failureReason").asText()
                : b.path("statusReason").asText("");
        yield (head
                + (b.hasNonNull("verdict") ? " (" + b.path("verdict").asText() + ")" : "")
                + ": "
                + why)
            .stripTrailing();
      }
    };
  }

  /** {@code goldsmith build show ID}. */
  @Command(
      name = "show",
      mixinStandardHelpOptions = true,
      description = "A build: its timeline, verdict and users x binaries matrix.")
  static class Show implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(paramLabel = "ID", description = "the build id")
    UUID id;

    @Override
    public Integer call() {
      Goldsmith g = Goldsmith.root(spec);
      Optional<JsonNode> found = g.registry().find("/api/builds/" + id);
      if (found.isEmpty()) {
        throw new CliException(ExitCode.FAILED_REQUEST, "no build " + id);
      }
      JsonNode d = found.get();
      if (g.json()) {
        g.printJson(d);
        return ExitCode.OK;
      }
      PrintWriter out = g.out();
      JsonNode b = d.path("build");
      out.println(
          Render.table(
              List.of("BUILD", "FAMILY", "VERSION", "STATUS", "VERDICT", "IMAGE", "REQUESTED BY"),
              List.of(
                  List.of(
                      b.path("buildId").asText(),
                      b.path("family").asText(),
                      b.path("version").asText("-"),
                      b.path("status").asText(),
                      b.path("verdict").asText("-"),
                      b.path("imageId").asText("-"),
                      b.path("requestedBy").asText("-")))));
      out.print(timeline(d));
      JsonNode report = report(d);
      if (report != null && report.isObject()) {
        out.println();
        out.print(Render.matrix(report));
      }
      out.println(endLine(d));
      return ExitCode.OK;
    }
  }

  /** The timeline as a table: when, how long after the request, the stage, what it says. */
  static String timeline(JsonNode detail) {
    JsonNode tl = detail.path("timeline");
    Instant origin = tl.isEmpty() ? null : Render.instant(tl.get(0).path("occurredAt"));
    Instant prev = origin;
    List<List<String>> rows = new ArrayList<>();
    for (JsonNode e : tl) {
      Instant at = Render.instant(e.path("occurredAt"));
      String type = e.path("eventType").asText();
      rows.add(
          List.of(
              e.path("occurredAt").asText("-"),
              "+" + Render.seconds(origin, at) + "s",
              "+" + Render.seconds(prev, at) + "s",
              Render.LABELS.getOrDefault(type, type),
              Render.detail(e)));
      if (at != null) {
        prev = at;
      }
    }
    return Render.table(List.of("TIME", "ELAPSED", "STAGE", "EVENT", "DETAIL"), rows);
  }

  /** Durations as {@code 90s}, {@code 30m}, {@code 1h} or ISO-8601 {@code PT30M}. */
  static final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
      String v = value.trim().toLowerCase(java.util.Locale.ROOT);
      if (v.startsWith("pt") || v.startsWith("p")) {
        return Duration.parse(value.trim().toUpperCase(java.util.Locale.ROOT));
      }
      java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d+)(ms|s|m|h)").matcher(v);
      if (!m.matches()) {
        throw new CommandLine.TypeConversionException(
            "'" + value + "' is not a duration (e.g. 90s, 30m, 1h)");
      }
      long n = Long.parseLong(m.group(1));
      return switch (m.group(2)) {
        case "ms" -> Duration.ofMillis(n);
        case "s" -> Duration.ofSeconds(n);
        case "m" -> Duration.ofMinutes(n);
        default -> Duration.ofHours(n);
      };
    }
  }
}
