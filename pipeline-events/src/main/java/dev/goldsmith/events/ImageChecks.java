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
 * @param access who may reach a fresh instance (keys, sudo, listening sockets); anything else found
 *     is an artifact defect
 */
public record ImageChecks(
    @NotNull List<@Valid @NotNull ExpectedUser> users,
    @NotNull Map<String, String> sshd,
    @NotNull List<@NotNull String> forbiddenPaths,
    @NotNull @Valid AccessDeclaration access) {

  /** Image checks whose access declaration allows nothing ({@link AccessDeclaration#NONE}). */
  public ImageChecks(
      List<ExpectedUser> users, Map<String, String> sshd, List<String> forbiddenPaths) {
    this(users, sshd, forbiddenPaths, AccessDeclaration.NONE);
  }
}
