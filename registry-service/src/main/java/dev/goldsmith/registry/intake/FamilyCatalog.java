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
import dev.goldsmith.families.OverrideValidator;
import dev.goldsmith.families.RoleSpecs;
import dev.goldsmith.registry.config.RegistryConfig;

/**
 * The family files, read from {@code goldsmith.registry.families.dir} on every call (they are a few
 * small files, and an edit takes effect without a restart).
 */
@ApplicationScoped
public class FamilyCatalog {
  private final Path dir;
  private final Path rolesDir;

  public FamilyCatalog(RegistryConfig config) {
    this.dir = Path.of(config.families().dir()).toAbsolutePath().normalize();
    this.rolesDir =
        config
            .families()
            .rolesDir()
            .map(r -> Path.of(r).toAbsolutePath().normalize())
            .orElse(dir.resolveSibling("roles"));
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
    return FamilyLoader.loadDirectory(dir, RoleSpecs.load(rolesDir));
  }

  /**
   * Every problem with a request's extra vars for its family: undeclared, mistyped, templated,
   * paths where file names belong, role files outside the role's files/.
   *
   * @throws FamilyException when the roles' argument specs cannot be read
   */
  public List<String> overrideProblems(Family family, Map<String, Object> extraVars) {
    return new OverrideValidator(RoleSpecs.load(rolesDir)).problems(family, extraVars);
  }

  public Optional<Family> find(String name) {
    return Optional.ofNullable(all().get(name));
  }
}
