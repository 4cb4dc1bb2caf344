package dev.goldsmith.events;

import java.util.List;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;

/**
 * The users × binaries matrix and the image checks, as seen on a fresh instance.
 *
 * @param summary one line a human reads first (e.g. which user lacks which binary)
 */
public record VerificationReport(
    @NotNull List<@Valid @NotNull BinaryResult> binaries,
    @NotNull List<@Valid @NotNull CheckResult> checks,
    @NotNull String summary) {

  /** One cell of the matrix. */
  public record BinaryResult(
      @NotNull String user,
      @NotNull String binary,
      String path,
      String versionLine,
      Integer exitCode,
      long durationMs,
      boolean ok,
      String detail) {}

  /** One image check (users, sshd, authorized_keys, leftovers, channel). */
  public record CheckResult(@NotNull String name, boolean ok, String detail) {}
}
