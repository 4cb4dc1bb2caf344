package dev.goldsmith.provisioner.cloud;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import dev.goldsmith.events.BuildSpec;
import dev.goldsmith.events.Ownership;

/** The {@code goldsmith.dev/*} labels every temporary cloud resource and every snapshot carries. */
public final class GoldsmithLabels {
  public static final String MANAGED = Ownership.MANAGED;
  public static final String INSTALLATION = Ownership.INSTALLATION;
  public static final String BUILD_ID = "goldsmith.dev/build-id";
  public static final String FAMILY = "goldsmith.dev/family";
  public static final String VERSION = "goldsmith.dev/version";
  public static final String ROLE = "goldsmith.dev/role";
  public static final String CREATED_AT = "goldsmith.dev/created-at";
  public static final String STATE = "goldsmith.dev/state";
  public static final String BASE_IMAGE = "goldsmith.dev/base-image";

  public static final String ROLE_BUILDER = "builder";
  public static final String ROLE_TEST = "test";
  public static final String ROLE_CONFIGURATOR = "configurator";
  public static final String ROLE_VERIFIER = "verifier";
  public static final String STATE_CANDIDATE = "candidate";

  private GoldsmithLabels() {}

  /** Labels of a builder server of {@code buildId}. */
  public static Map<String, String> builder(UUID buildId, BuildSpec spec, Instant now) {
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put(MANAGED, "true");
    putInstallation(labels, spec);
    labels.put(BUILD_ID, buildId.toString());
    labels.put(FAMILY, spec.family());
    labels.put(VERSION, spec.version());
    labels.put(ROLE, ROLE_BUILDER);
    labels.put(CREATED_AT, Long.toString(now.getEpochSecond()));
    return labels;
  }

  /** Labels of the candidate snapshot of {@code buildId}. */
  public static Map<String, String> snapshot(UUID buildId, BuildSpec spec, long baseImageId) {
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put(MANAGED, "true");
    putInstallation(labels, spec);
    labels.put(FAMILY, spec.family());
    labels.put(VERSION, spec.version());
    labels.put(BUILD_ID, buildId.toString());
    labels.put(STATE, STATE_CANDIDATE);
    labels.put(BASE_IMAGE, Long.toString(baseImageId));
    return labels;
  }

  /** The installation the build belongs to (from its spec), next to {@code managed=true}. */
  private static void putInstallation(Map<String, String> labels, BuildSpec spec) {
    if (spec.installationId() != null) {
      labels.put(INSTALLATION, spec.installationId());
    }
  }

  /** The build id label of a resource, if present and a UUID. */
  public static Optional<UUID> buildId(Map<String, String> labels) {
    String raw = labels.get(BUILD_ID);
    if (raw == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(UUID.fromString(raw));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  /** The {@code created-at} label as an instant, if present and numeric. */
  public static Optional<Instant> createdAt(Map<String, String> labels) {
    String raw = labels.get(CREATED_AT);
    if (raw == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(Instant.ofEpochSecond(Long.parseLong(raw)));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  /** True when the resource carries {@code goldsmith.dev/managed=true}. */
  public static boolean isManaged(Map<String, String> labels) {
    return "true".equals(labels.get(MANAGED));
  }

  /**
   * The builder's name: {@code <prefix>-<family>-<build id>}, the family shortened so the name
   * stays a valid RFC 1123 label of at most 63 characters.
   */
  public static String builderName(String prefix, String family, UUID buildId) {
    String id = buildId.toString();
    String cleanPrefix = sanitize(prefix);
    int room = 63 - id.length() - 1 - (cleanPrefix.isEmpty() ? 0 : cleanPrefix.length() + 1);
    String fam = sanitize(family);
    if (fam.length() > Math.max(room, 0)) {
      fam = fam.substring(0, Math.max(room, 0));
    }
    fam = trimHyphens(fam);
    StringBuilder name = new StringBuilder();
    if (!cleanPrefix.isEmpty()) {
      name.append(cleanPrefix).append('-');
    }
    if (!fam.isEmpty()) {
      name.append(fam).append('-');
    }
    name.append(id);
    String result = name.toString();
    return result.length() <= 63 ? result : result.substring(result.length() - 63);
  }

  private static String sanitize(String raw) {
    String lower = raw == null ? "" : raw.toLowerCase(java.util.Locale.ROOT);
    return trimHyphens(lower.replaceAll("[^a-z0-9-]", "-"));
  }

  private static String trimHyphens(String s) {
    return s.replaceAll("^-+", "").replaceAll("-+$", "");
  }
}
