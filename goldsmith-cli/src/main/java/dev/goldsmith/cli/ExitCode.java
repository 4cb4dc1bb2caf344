package dev.goldsmith.cli;

/**
 * The exit codes of {@code goldsmith}: stable, documented in {@code --help} and the module README.
 */
public final class ExitCode {
  /** The command did what it was asked; for {@code build --watch}: the build was promoted. */
  public static final int OK = 0;

  /**
   * The registry refused the request (problem+json), something asked for does not exist, or a
   * family file is invalid.
   */
  public static final int FAILED_REQUEST = 1;

  /** The command line is wrong. */
  public static final int USAGE = 2;

  /** The build was rejected at intake (BuildRejected). */
  public static final int REJECTED = 3;

  /** Verification found a defect in the image (ARTIFACT_DEFECT): the build is DEFECTIVE. */
  public static final int DEFECTIVE = 4;

  /** Verification could not tell (CHANNEL_FAILURE, INFRA_FAILURE): the image is kept UNVERIFIED. */
  public static final int UNVERIFIED = 5;

  /** A stage failed (BuildFailed): provision, configure, snapshot, promote. */
  public static final int BUILD_FAILED = 6;

  /** The registry or the broker cannot be reached. */
  public static final int UNREACHABLE = 7;

  /** The image passed verification but is not the promoted one (statusReason says why). */
  public static final int VERIFIED_NOT_PROMOTED = 8;

  /** {@code --watch} gave up after {@code --timeout}; the build goes on. */
  public static final int WATCH_TIMEOUT = 9;

  /** The exit codes as the help footer shows them. */
  public static final String[] HELP = {
    "",
    "Exit codes:",
    "  0  done; build --watch: the build was promoted",
    "  1  the registry refused the request, named nothing that exists, or a family",
    "     file is invalid",
    "  2  usage error",
    "  3  build rejected at intake",
    "  4  artifact defect: verification found the image broken (DEFECTIVE)",
    "  5  unverified: the channel or the test infrastructure failed (UNVERIFIED)",
    "  6  build failed in a stage (FAILED)",
    "  7  registry or broker unreachable",
    "  8  verified but not promoted",
    "  9  --watch timed out (the build goes on)",
    "",
    "Environment: GOLDSMITH_REGISTRY, GOLDSMITH_REGISTRY_TOKEN, KAFKA_BOOTSTRAP_SERVERS,",
    "GOLDSMITH_FAMILIES_DIR; flags override them."
  };

  private ExitCode() {}

  /** The exit code of a build that has ended with {@code status}; -1 while it is still running. */
  public static int forStatus(String status) {
    if (status == null) {
      return -1;
    }
    return switch (status) {
      case "PROMOTED" -> OK;
      case "REJECTED" -> REJECTED;
      case "DEFECTIVE" -> DEFECTIVE;
      case "UNVERIFIED" -> UNVERIFIED;
      case "FAILED" -> BUILD_FAILED;
      case "VERIFIED" -> VERIFIED_NOT_PROMOTED;
      default -> -1;
    };
  }
}
