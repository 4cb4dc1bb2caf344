package dev.goldsmith.support.cloud;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import dev.goldsmith.events.BuildSpec;
import dev.goldsmith.events.Provenance;

/**
 * The {@code goldsmith.dev/*} labels of every cloud resource Goldsmith creates (builders, test
 * servers, snapshots, SSH keys), their values, and how to read them back. The janitor and the
 * registry find resources by these labels, so every service writes them from here.
 */
public final class GoldsmithLabels {
  /** Prefix of every key. */
  public static final String PREFIX = "goldsmith.dev/";

  /** {@code true} on everything Goldsmith created (and may therefore delete). */
  public static final String MANAGED = PREFIX + "managed";

  /**
   * The Goldsmith installation a resource belongs to ({@link dev.goldsmith.events.Ownership}); the
   * janitor reaps only its own installation's resources.
   */
  public static final String INSTALLATION = dev.goldsmith.events.Ownership.INSTALLATION;

  /** The build a resource belongs to (a UUID). */
  public static final String BUILD_ID = PREFIX + "build-id";

  public static final String FAMILY = PREFIX + "family";
  public static final String VERSION = PREFIX + "version";

  /** What a server or key is for: {@link #ROLE_BUILDER}, {@link #ROLE_TEST}, … */
  public static final String ROLE = PREFIX + "role";

  /** Creation time of a temporary server, epoch seconds (the janitor's TTL reads it). */
  public static final String CREATED_AT = PREFIX + "created-at";

  /** Which verification attempt a test server belongs to (1, 2, …). */
  public static final String ATTEMPT = PREFIX + "attempt";

  /** Lifecycle of a snapshot: {@link #STATE_CANDIDATE}, then {@link #STATE_PROMOTED}. */
  public static final String STATE = PREFIX + "state";

  /** The image id a snapshot was built from. */
  public static final String BASE_IMAGE = PREFIX + "base-image";

  /** {@code true} on the promoted image of a family. */
  public static final String PROMOTED = PREFIX + "promoted";

  /** Provenance of a snapshot: the name of the image its builder was created from. */
  public static final String SOURCE_IMAGE = PREFIX + "source-image";

  /** Provenance of a snapshot: the builder's server type. */
  public static final String SERVER_TYPE = PREFIX + "server-type";

  /** Provenance of a snapshot: the builder's location. */
  public static final String LOCATION = PREFIX + "location";

  /**
   * Provenance of a snapshot: the ansible/ revision, 12 hex digits ({@code -dirty} appended when
   * the tree had changes), or {@code unknown}.
   */
  public static final String ANSIBLE_REV = PREFIX + "ansible-rev";

  /** Provenance of a snapshot: the roles digest, its first 63 hex digits. */
  public static final String ROLES_SHA256 = PREFIX + "roles-sha256";

  /** Provenance of a snapshot: the extra-vars digest, its first 63 hex digits. */
  public static final String VARS_SHA256 = PREFIX + "vars-sha256";

  /** Provenance of a snapshot: the verification report's digest, its first 63 hex digits. */
  public static final String REPORT_SHA256 = PREFIX + "report-sha256";

  /** The longest label value Hetzner accepts. */
  public static final int MAX_VALUE = 63;

  /** Hex digits of a revision in {@link #ANSIBLE_REV}. */
  public static final int SHORT_REVISION = 12;

  public static final String ROLE_BUILDER = "builder";
  public static final String ROLE_TEST = "test";
  public static final String ROLE_CONFIGURATOR = "configurator";
  public static final String ROLE_VERIFIER = "verifier";
  public static final String STATE_CANDIDATE = "candidate";
  public static final String STATE_PROMOTED = "promoted";
  public static final String TRUE = "true";

  private GoldsmithLabels() {}

  /**
   * Labels of a builder server of {@code buildId}, with the spec's installation (when it names
   * one).
   */
  public static Map<String, String> builder(UUID buildId, BuildSpec spec, Instant now) {
    Map<String, String> labels = build(buildId, spec.family(), spec.version());
    putInstallation(labels, spec);
    labels.put(ROLE, ROLE_BUILDER);
    labels.put(CREATED_AT, Long.toString(now.getEpochSecond()));
    return labels;
  }

  /** Labels of a test server of {@code buildId}, verification attempt {@code attempt}. */
  public static Map<String, String> testServer(
      UUID buildId, String family, String version, int attempt, Instant now) {
    Map<String, String> labels = build(buildId, family, version);
    labels.put(ROLE, ROLE_TEST);
    labels.put(CREATED_AT, Long.toString(now.getEpochSecond()));
    labels.put(ATTEMPT, Integer.toString(attempt));
    return labels;
  }

  /**
   * Labels of the candidate snapshot of {@code buildId}, with the spec's installation (when it
   * names one).
   */
  public static Map<String, String> snapshot(UUID buildId, BuildSpec spec, long baseImageId) {
    Map<String, String> labels = build(buildId, spec.family(), spec.version());
    putInstallation(labels, spec);
    labels.put(STATE, STATE_CANDIDATE);
    labels.put(BASE_IMAGE, Long.toString(baseImageId));
    return labels;
  }

  /**
   * Labels of the candidate snapshot with its provenance ({@link #provenance}); {@code provenance}
   * may be null (nothing known beyond the spec).
   */
  public static Map<String, String> snapshot(
      UUID buildId, BuildSpec spec, long baseImageId, Provenance provenance) {
    Map<String, String> labels = snapshot(buildId, spec, baseImageId);
    labels.putAll(provenance(spec, provenance));
    return labels;
  }

  /**
   * The provenance labels: server type and location of the spec, and of {@code p} (when not null)
   * the source image's name, the short ansible/ revision and the digests, each a valid label value
   * ({@link #labelValue}); a value that would be empty is left out.
   */
  public static Map<String, String> provenance(BuildSpec spec, Provenance p) {
    Map<String, String> labels = new LinkedHashMap<>();
    putValue(labels, SERVER_TYPE, spec.serverType());
    putValue(labels, LOCATION, spec.location());
    if (p == null) {
      return labels;
    }
    putValue(labels, SOURCE_IMAGE, p.sourceImageName());
    putValue(labels, ANSIBLE_REV, shortRevision(p.ansibleRevision(), p.ansibleDirty()));
    putValue(labels, ROLES_SHA256, p.rolesSha256());
    putValue(labels, VARS_SHA256, p.extraVarsSha256());
    putValue(labels, REPORT_SHA256, p.reportSha256());
    return labels;
  }

  /** {@code labels} with the report digest set ({@link #REPORT_SHA256}), the others kept. */
  public static Map<String, String> withReport(Map<String, String> labels, String reportSha256) {
    Map<String, String> out = new LinkedHashMap<>(labels);
    putValue(out, REPORT_SHA256, reportSha256);
    return out;
  }

  /**
   * The {@link #ANSIBLE_REV} value of a revision: its first 12 characters, {@code -dirty} appended
   * when {@code dirty}; {@code unknown} for a null or unknown revision.
   */
  public static String shortRevision(String revision, Boolean dirty) {
    if (revision == null || revision.isBlank() || Provenance.UNKNOWN_REVISION.equals(revision)) {
      return Provenance.UNKNOWN_REVISION;
    }
    String rev =
        revision.length() > SHORT_REVISION ? revision.substring(0, SHORT_REVISION) : revision;
    return Boolean.TRUE.equals(dirty) ? rev + "-dirty" : rev;
  }

  /**
   * {@code raw} as a Hetzner label value: every character outside {@code [A-Za-z0-9._-]} becomes
   * {@code _}, the result is cut to 63 characters, then anything but a letter or digit is trimmed
   * from both ends. May be empty (a valid value, but one that says nothing).
   */
  public static String labelValue(String raw) {
    if (raw == null) {
      return "";
    }
    String v = raw.replaceAll("[^A-Za-z0-9._-]", "_");
    if (v.length() > MAX_VALUE) {
      v = v.substring(0, MAX_VALUE);
    }
    return v.replaceAll("^[^A-Za-z0-9]+", "").replaceAll("[^A-Za-z0-9]+$", "");
  }

  private static void putValue(Map<String, String> labels, String key, String raw) {
    String v = labelValue(raw);
    if (!v.isEmpty()) {
      labels.put(key, v);
    }
  }

  /** Labels of a service's own SSH key ({@code role} e.g. {@link #ROLE_CONFIGURATOR}). */
  public static Map<String, String> serviceKey(String role) {
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put(MANAGED, TRUE);
    labels.put(ROLE, role);
    return labels;
  }

  /** {@code labels} with the promoted marks set (state and flag), the others kept. */
  public static Map<String, String> promoted(Map<String, String> labels) {
    Map<String, String> out = new LinkedHashMap<>(labels);
    out.put(PROMOTED, TRUE);
    out.put(STATE, STATE_PROMOTED);
    return out;
  }

  /** True when {@code labels} carry both promoted marks. */
  public static boolean isPromoted(Map<String, String> labels) {
    return TRUE.equals(labels.get(PROMOTED)) && STATE_PROMOTED.equals(labels.get(STATE));
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
    return TRUE.equals(labels.get(MANAGED));
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

  private static Map<String, String> build(UUID buildId, String family, String version) {
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put(MANAGED, TRUE);
    labels.put(BUILD_ID, buildId.toString());
    labels.put(FAMILY, family);
    labels.put(VERSION, version);
    return labels;
  }

  private static void putInstallation(Map<String, String> labels, BuildSpec spec) {
    if (spec.installationId() != null) {
      labels.put(INSTALLATION, spec.installationId());
    }
  }

  private static String sanitize(String raw) {
    String lower = raw == null ? "" : raw.toLowerCase(Locale.ROOT);
    return trimHyphens(lower.replaceAll("[^a-z0-9-]", "-"));
  }

  private static String trimHyphens(String s) {
    return s.replaceAll("^-+", "").replaceAll("-+$", "");
  }
}
