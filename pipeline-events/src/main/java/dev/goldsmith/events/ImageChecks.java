package dev.goldsmith.events;

import java.util.List;
import java.util.Map;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;

/**
 * Image-wide checks.
 *
 * @param users users that must exist with the given shell and groups
 * @param sshd effective sshd settings ({@code sshd -T} keys, lower case) and their expected values
 * @param forbiddenPaths files or directories that must not exist in the image (leftovers)
 */
public record ImageChecks(
    @NotNull List<@Valid @NotNull ExpectedUser> users,
    @NotNull Map<String, String> sshd,
    @NotNull List<@NotNull String> forbiddenPaths) {}
