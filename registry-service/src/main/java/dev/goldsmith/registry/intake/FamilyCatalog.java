package dev.goldsmith.registry.intake;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import dev.goldsmith.families.Family;
import dev.goldsmith.families.FamilyException;
import dev.goldsmith.families.FamilyLoader;
import dev.goldsmith.registry.config.RegistryConfig;

/**
 * The family files, read from {@code goldsmith.registry.families.dir} on every call (they are a few
 * small files, and an edit takes effect without a restart).
 */
@ApplicationScoped
public class FamilyCatalog {
  private final Path dir;

  public FamilyCatalog(RegistryConfig config) {
    this.dir = Path.of(config.families().dir()).toAbsolutePath().normalize();
  }

  /** The directory families are read from. */
  public Path dir() {
    return dir;
  }

  /**
   * Every family by name.
   *
   * @throws FamilyException listing every problem of every file
   */
  public Map<String, Family> all() {
    if (!Files.isDirectory(dir)) {
      throw new FamilyException(List.of(dir + ": family directory does not exist"));
    }
    return FamilyLoader.loadDirectory(dir);
  }

  public Optional<Family> find(String name) {
    return Optional.ofNullable(all().get(name));
  }
}
