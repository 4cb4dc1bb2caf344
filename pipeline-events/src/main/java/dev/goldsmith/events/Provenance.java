package dev.goldsmith.events;

import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;

/**
 * Where a snapshot came from, gathered along the pipeline: the configurator fills the ansible/
 * revision and the digests of the roles and variables it used, the provisioner adds the image the
 * builder was created from, the verifier the digest of its report. Every field is optional: events
 * written before provenance existed (and stages that never ran) carry none, and a consumer takes
 * what is there. The registry keeps it with the build ({@code GET /api/builds/{id}/manifest}) and
 * the snapshot carries it as {@code goldsmith.dev/*} labels.
 *
 * @param sourceImageId the image the builder server was created from
 * @param sourceImageName that image's name (a system image) or description (a snapshot)
 * @param ansibleRevision the git commit of the ansible/ tree the playbook ran from, {@code unknown}
 *     when that tree is not a git checkout
 * @param ansibleDirty whether the ansible/ tree had uncommitted changes (null when unknown)
 * @param rolesSha256 SHA-256 over the playbook and the files of the roles it uses (sorted paths and
 *     contents, see {@link Digests#files})
 * @param extraVarsSha256 SHA-256 of the canonical JSON of the variables passed to the playbook, in
 *     the order they were passed (the spec's extra vars, then the service's own)
 * @param reportSha256 SHA-256 of the canonical JSON of the verifier's report
 */
public record Provenance(
    @Positive Long sourceImageId,
    @Size(max = 255) String sourceImageName,
    @Pattern(regexp = Patterns.GIT_REVISION) String ansibleRevision,
    Boolean ansibleDirty,
    @Pattern(regexp = Patterns.SHA256) String rolesSha256,
    @Pattern(regexp = Patterns.SHA256) String extraVarsSha256,
    @Pattern(regexp = Patterns.SHA256) String reportSha256) {

  /** The value of {@link #ansibleRevision} when the ansible/ tree is not a git checkout. */
  public static final String UNKNOWN_REVISION = "unknown";

  /** What the configurator knows: revision and digests, nothing about images or reports. */
  public static Provenance configured(
      String ansibleRevision, Boolean ansibleDirty, String rolesSha256, String extraVarsSha256) {
    return new Provenance(
        null, null, ansibleRevision, ansibleDirty, rolesSha256, extraVarsSha256, null);
  }

  /** {@code p} (or nothing, when null) with the source image set. */
  public static Provenance withSourceImage(Provenance p, Long imageId, String imageName) {
    Provenance base = p == null ? empty() : p;
    return new Provenance(
        imageId,
        imageName,
        base.ansibleRevision,
        base.ansibleDirty,
        base.rolesSha256,
        base.extraVarsSha256,
        base.reportSha256);
  }

  /** {@code p} (or nothing, when null) with the report digest set. */
  public static Provenance withReportSha256(Provenance p, String reportSha256) {
    Provenance base = p == null ? empty() : p;
    return new Provenance(
        base.sourceImageId,
        base.sourceImageName,
        base.ansibleRevision,
        base.ansibleDirty,
        base.rolesSha256,
        base.extraVarsSha256,
        reportSha256);
  }

  /** Provenance that knows nothing. */
  public static Provenance empty() {
    return new Provenance(null, null, null, null, null, null, null);
  }
}
