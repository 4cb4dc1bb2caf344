package dev.goldsmith.registry.domain;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;

import io.quarkus.hibernate.orm.panache.PanacheRepository;
import io.quarkus.panache.common.Sort;

/** Versions of families. */
@ApplicationScoped
public class ImageVersionRepository implements PanacheRepository<ImageVersion> {

  public Optional<ImageVersion> byBuild(UUID buildId) {
    return find("buildId", buildId).firstResultOptional();
  }

  /** The version, locked for update. */
  public Optional<ImageVersion> byBuildForUpdate(UUID buildId) {
    return find("buildId", buildId).withLock(LockModeType.PESSIMISTIC_WRITE).firstResultOptional();
  }

  public Optional<ImageVersion> byFamilyAndVersion(String family, String version) {
    return find("family = ?1 and version = ?2", family, version).firstResultOptional();
  }

  public Optional<ImageVersion> promoted(String family) {
    return find("family = ?1 and status = ?2", family, VersionStatus.PROMOTED)
        .firstResultOptional();
  }

  public boolean versionExists(String family, String version) {
    return count("family = ?1 and version = ?2", family, version) > 0;
  }

  /** Previously promoted versions whose snapshot still exists, most recently superseded first. */
  public List<ImageVersion> previouslyPromoted(String family) {
    return list(
        "family = ?1 and status = ?2 and promotedAt is not null and imageId is not null"
            + " and imageDeletedAt is null",
        Sort.descending("supersededAt", "promotedAt"),
        family,
        VersionStatus.VERIFIED);
  }

  /** Versions of a family still being built or verified. */
  public List<ImageVersion> inProgress(String family) {
    return list(
        "family = ?1 and status in ?2",
        family,
        List.of(VersionStatus.BUILDING, VersionStatus.CANDIDATE));
  }

  /** Records that an image no longer exists, on whichever version held it. */
  public int markImageDeleted(long imageId, java.time.Instant at) {
    return update(
        "imageDeletedAt = ?1, updatedAt = ?1 where imageId = ?2 and imageDeletedAt is null",
        at,
        imageId);
  }
}
