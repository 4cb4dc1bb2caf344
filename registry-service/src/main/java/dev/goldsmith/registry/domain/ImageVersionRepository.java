package dev.goldsmith.registry.domain;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;

import io.quarkus.hibernate.orm.panache.PanacheRepository;

/** Versions of families. Status changes go through {@code VersionLifecycle}, never through here. */
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

  /** Every version of a family. */
  public List<ImageVersion> ofFamily(String family) {
    return list("family", family);
  }

  /** The version holding an image whose deletion is not recorded yet, locked for update. */
  public Optional<ImageVersion> holdingImageForUpdate(long imageId) {
    return find("imageId = ?1 and imageDeletedAt is null", imageId)
        .withLock(LockModeType.PESSIMISTIC_WRITE)
        .firstResultOptional();
  }
}
