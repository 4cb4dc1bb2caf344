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
    int keepPrevious) {}
