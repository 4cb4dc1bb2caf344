package dev.goldsmith.verifier.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import dev.goldsmith.events.NetworkMode;

/**
 * Arguments of {@code test-image}: {@code --image-id X --server-name Y [--family F | --matrix FILE]
 * [--network-mode ipv4|ipv6|auto] [--families-dir DIR] [--server-type T] [--location L]}.
 */
public record TestImageArgs(
    long imageId,
    String serverName,
    String family,
    Path matrixFile,
    NetworkMode networkMode,
    Path familiesDir,
    String serverType,
    String location) {

  public static final String USAGE =
      "usage: test-image.sh --image-id ID --server-name NAME [--family FAMILY | --matrix FILE]\n"
          + "                     [--network-mode ipv4|ipv6|auto] [--families-dir DIR]\n"
          + "                     [--server-type TYPE] [--location LOCATION]\n"
          + "  --family reads <families-dir>/<FAMILY>.yml (default dir: ansible/families);\n"
          + "  --matrix reads a verification matrix (YAML or JSON, the VerificationMatrix shape).\n"
          + "  Exit 0 only when the verdict is PASSED (1 artifact defect, 3 channel failure,\n"
          + "  4 infra failure, 2 usage).";

  /** Parses; throws {@link IllegalArgumentException} with every problem found. */
  public static TestImageArgs parse(List<String> args) {
    Long imageId = null;
    String serverName = null;
    String family = null;
    Path matrix = null;
    NetworkMode mode = null;
    Path familiesDir = Path.of("ansible/families");
    String serverType = null;
    String location = null;
    List<String> errors = new ArrayList<>();
    for (int i = 0; i < args.size(); i++) {
      String a = args.get(i);
      String v = i + 1 < args.size() ? args.get(i + 1) : null;
      boolean takesValue = true;
      switch (a) {
        case "--image-id" -> {
          try {
            imageId = Long.parseLong(v == null ? "" : v);
          } catch (NumberFormatException e) {
            errors.add("--image-id needs a numeric image id");
          }
        }
        case "--server-name" -> serverName = v;
        case "--family" -> family = v;
        case "--matrix" -> matrix = v == null ? null : Path.of(v);
        case "--network-mode" -> {
          try {
            mode = NetworkMode.fromWire(v);
          } catch (IllegalArgumentException e) {
            errors.add("--network-mode: " + e.getMessage());
          }
        }
        case "--families-dir" -> familiesDir = v == null ? null : Path.of(v);
        case "--server-type" -> serverType = v;
        case "--location" -> location = v;
        default -> {
          errors.add("unknown argument " + a);
          takesValue = false;
        }
      }
      if (takesValue) {
        if (v == null || v.startsWith("--")) {
          errors.add(a + " needs a value");
        } else {
          i++;
        }
      }
    }
    if (imageId == null) {
      errors.add("--image-id is required");
    }
    if (serverName == null || !serverName.matches("[a-z0-9]([a-z0-9-]{0,55}[a-z0-9])?")) {
      errors.add("--server-name is required and must be a valid hostname (a-z, 0-9, -)");
    }
    if ((family == null) == (matrix == null)) {
      errors.add("give exactly one of --family and --matrix");
    }
    if (!errors.isEmpty()) {
      throw new IllegalArgumentException(String.join("\n", errors));
    }
    return new TestImageArgs(
        imageId, serverName, family, matrix, mode, familiesDir, serverType, location);
  }
}
