package dev.goldsmith.events;

import java.util.List;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;

/**
 * One binary to check: it must resolve ({@code command -v}) to a path under one of the allowed
 * prefixes, be executable for the user, and exit 0 when run with {@code probeArgs}.
 */
public record BinaryCheck(
    @NotBlank @Pattern(regexp = Patterns.BINARY) String name,
    @NotNull List<@NotNull String> probeArgs,
    @NotEmpty List<@NotBlank @Pattern(regexp = "^/.*") String> allowedPrefixes) {}
