package dev.goldsmith.verifier.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import dev.goldsmith.events.NetworkMode;
import dev.goldsmith.events.VerificationMatrix;
import dev.goldsmith.families.Family;
import dev.goldsmith.families.FamilyLoader;
import dev.goldsmith.verifier.cloud.CloudUnavailableException;
import dev.goldsmith.verifier.service.VerificationService;
import dev.goldsmith.verifier.verification.Reports;
import dev.goldsmith.verifier.verification.VerificationOutcome;
import dev.goldsmith.verifier.verification.VerificationRequest;

/**
 * The operators' on-demand check (the seed's {@code test-image.sh}): the same verification as the
 * service, with the same cleanup, against any image id; prints the matrix; the exit code says the
 * verdict.
 */
@ApplicationScoped
public class TestImageCommand {

  private static final ObjectMapper YAML =
      new ObjectMapper(new YAMLFactory())
          .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true);

  private final VerificationService service;

  @Inject
  public TestImageCommand(VerificationService service) {
    this.service = service;
  }

  /** Runs the check; returns the process exit code. */
  public int run(List<String> argv, PrintStream out, PrintStream err) {
    TestImageArgs args;
    try {
      args = TestImageArgs.parse(argv);
    } catch (IllegalArgumentException e) {
      err.println(e.getMessage());
      err.println(TestImageArgs.USAGE);
      return 2;
    }
    String serverType = args.serverType() == null ? "cx23" : args.serverType();
    String location = args.location() == null ? "fsn1" : args.location();
    NetworkMode mode = args.networkMode() == null ? NetworkMode.IPV4 : args.networkMode();
    VerificationMatrix matrix;
    String family;
    try {
      if (args.family() != null) {
        Family f = FamilyLoader.load(args.familiesDir().resolve(args.family() + ".yml"));
        matrix = f.verification();
        family = f.name();
        serverType = args.serverType() == null ? f.serverType() : serverType;
        location = args.location() == null ? f.location() : location;
        mode = args.networkMode() == null ? f.networkMode() : mode;
      } else {
        matrix = YAML.readValue(Files.readString(args.matrixFile()), VerificationMatrix.class);
        family = "adhoc";
      }
    } catch (IOException | RuntimeException e) {
      err.println("cannot read the verification matrix: " + e.getMessage());
      return 2;
    }
    UUID runId = UUID.randomUUID();
    String version =
        "ondemand-"
            + LocalDateTime.now(ZoneOffset.UTC)
                .format(DateTimeFormatter.ofPattern("yyyyMMddHHmmss"));
    out.printf(
        "verifying image %d as %s (family %s, %s, run %s)%n",
        args.imageId(), args.serverName(), family, mode.wire(), runId);
    VerificationOutcome o;
    try {
      o =
          service.verify(
              new VerificationRequest(
                  runId,
                  family,
                  version,
                  args.imageId(),
                  serverType,
                  location,
                  matrix,
                  mode,
                  args.serverName()));
    } catch (CloudUnavailableException e) {
      // The service waits such an outage out; an operator's one-off check reports it.
      err.println("the cloud API is unavailable: " + e.getMessage());
      return 4;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      err.println(
          "interrupted; test servers labelled goldsmith.dev/build-id="
              + runId
              + " are removed by the janitor");
      return 130;
    }
    out.print(Reports.render(o.verdict(), o.addressFamily(), o.attempts(), o.report()));
    out.printf("took %d ms%n", o.duration().toMillis());
    return switch (o.verdict()) {
      case PASSED -> 0;
      case ARTIFACT_DEFECT -> 1;
      case CHANNEL_FAILURE -> 3;
      case INFRA_FAILURE -> 4;
    };
  }
}
