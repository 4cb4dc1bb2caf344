package dev.goldsmith.events;

import java.util.Map;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;

/**
 * Everything downstream services need to build and verify one version of a family, fully resolved
 * by the registry, so no service reads family files.
 *
 * @param playbook playbook file name relative to the ansible/ tree (e.g. golden-image.yml)
 * @param extraVars variables passed to the playbook as a JSON file
 * @param keepPrevious how many previously promoted versions stay for rollback
 * @param installationId the Goldsmith installation that accepted the build: every cloud resource
 *     made for it carries {@code goldsmith.dev/installation=<id>} next to {@code managed=true};
 *     null only in specs written before installations had ids
 */
public record BuildSpec(
    @NotBlank @Pattern(regexp = Patterns.FAMILY) String family,
    @NotBlank @Pattern(regexp = Patterns.VERSION) String version,
    @NotBlank String baseImage,
    @NotBlank String serverType,
    @NotBlank String location,
    @NotBlank String playbook,
    @NotNull Map<String, Object> extraVars,
    @NotNull @Valid VerificationMatrix verification,
    @NotNull NetworkMode networkMode,
    int keepPrevious,
    @Pattern(regexp = Patterns.INSTALLATION_ID) String installationId) {

  /** A spec without an installation id (tests and specs written before installation ids). */
  public BuildSpec(
      String family,
      String version,
      String baseImage,
      String serverType,
      String location,
      String playbook,
      Map<String, Object> extraVars,
      VerificationMatrix verification,
      NetworkMode networkMode,
      int keepPrevious) {
    this(
        family,
        version,
        baseImage,
        serverType,
        location,
        playbook,
        extraVars,
        verification,
        networkMode,
        keepPrevious,
        null);
  }

  /** This spec carrying {@code id} as its installation id. */
  public BuildSpec withInstallationId(String id) {
    return new BuildSpec(
        family,
        version,
        baseImage,
        serverType,
        location,
        playbook,
        extraVars,
        verification,
        networkMode,
        keepPrevious,
        id);
  }
}
