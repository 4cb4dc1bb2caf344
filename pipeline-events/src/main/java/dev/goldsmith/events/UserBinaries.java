package dev.goldsmith.events;

import java.util.List;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;

/** The binaries one user must be able to run through a login shell. */
public record UserBinaries(
    @NotBlank @Pattern(regexp = Patterns.USER) String user,
    @NotEmpty List<@Valid @NotNull BinaryCheck> binaries) {}
