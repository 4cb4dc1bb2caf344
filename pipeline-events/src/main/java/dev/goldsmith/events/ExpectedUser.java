package dev.goldsmith.events;

import java.util.List;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;

/**
 * A user the image must contain.
 *
 * @param system whether it must be a system account (uid below 1000)
 * @param home whether it must have an existing home directory
 */
public record ExpectedUser(
    @NotBlank @Pattern(regexp = Patterns.USER) String name,
    @NotBlank String shell,
    @NotNull List<@NotBlank String> groups,
    boolean system,
    boolean home) {}
