package dev.goldsmith.events;

import java.util.List;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;

/**
 * What a fresh instance of the image must prove: for each target user, the binaries that resolve on
 * that user's login PATH and run; plus image-wide checks.
 */
public record VerificationMatrix(
    @NotEmpty List<@Valid @NotNull UserBinaries> users, @NotNull @Valid ImageChecks image) {}
