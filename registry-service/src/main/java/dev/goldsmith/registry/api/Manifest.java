package dev.goldsmith.registry.api;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

import dev.goldsmith.events.BuildSpec;
import dev.goldsmith.events.Provenance;
import dev.goldsmith.registry.domain.Build;
import dev.goldsmith.registry.domain.ImageVersion;

/**
 * The manifest of a verified build in the shape of Packer's manifest post-processor ({@code
 * packer-manifest.json}): one build whose {@code artifact_id} is the snapshot's id (as Packer's
 * hcloud builder writes it) and whose {@code custom_data} (strings only, as Packer's) is the
 * build's provenance. A key of {@code custom_data} is left out when its stage recorded nothing (a
 * build made before provenance existed).
 */
public record Manifest(List<Entry> builds, @JsonProperty("last_run_uuid") String lastRunUuid) {

  /** Packer's {@code builder_type} for Goldsmith's builds: the Hetzner Cloud builder's type. */
  public static final String BUILDER_TYPE = "hcloud";

  /** One build of the manifest. */
  public record Entry(
      String name,
      @JsonProperty("builder_type") String builderType,
      @JsonProperty("build_time") long buildTime,
      @JsonInclude(JsonInclude.Include.ALWAYS) List<String> files,
      @JsonProperty("artifact_id") String artifactId,
      @JsonProperty("packer_run_uuid") String packerRunUuid,
      @JsonProperty("custom_data") Map<String, String> customData) {}

  /**
   * The manifest of {@code build}, verified as {@code version}, from its spec and its provenance
   * (either may be null).
   */
  public static Manifest of(Build build, ImageVersion version, BuildSpec spec, Provenance p) {
    Map<String, String> data = new LinkedHashMap<>();
    put(data, "family", version.family);
    put(data, "version", version.version);
    put(data, "status", version.status.name());
    put(data, "image_id", version.imageId);
    put(data, "verdict", build.verdict);
    if (spec != null) {
      put(data, "base_image", spec.baseImage());
      put(data, "server_type", spec.serverType());
      put(data, "location", spec.location());
      put(data, "playbook", spec.playbook());
      put(data, "installation", spec.installationId());
    }
    if (p != null) {
      put(data, "source_image_id", p.sourceImageId());
      put(data, "source_image_name", p.sourceImageName());
      put(data, "ansible_revision", p.ansibleRevision());
      put(data, "ansible_dirty", p.ansibleDirty());
      put(data, "roles_sha256", p.rolesSha256());
      put(data, "extra_vars_sha256", p.extraVarsSha256());
      put(data, "report_sha256", p.reportSha256());
    }
    String id = build.buildId.toString();
    long time =
        version.verifiedAt != null
            ? version.verifiedAt.getEpochSecond()
            : build.updatedAt.getEpochSecond();
    return new Manifest(
        List.of(
            new Entry(
                version.family + "-" + version.version,
                BUILDER_TYPE,
                time,
                null,
                Long.toString(version.imageId),
                id,
                data)),
        id);
  }

  private static void put(Map<String, String> data, String key, Object value) {
    if (value != null) {
      data.put(key, value.toString());
    }
  }
}
