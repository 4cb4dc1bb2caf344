package dev.goldsmith.events;

import java.util.List;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;

/**
 * The users × binaries matrix and the image checks, as seen on a fresh instance.
 *
 * @param summary one line a human reads first (e.g. which user lacks which binary)
 * @param access the access audit, per user: every key, sudo membership, sudoers entry and listening
 *     socket found, declared or not (absent in reports made before the audit existed)
 */
public record VerificationReport(
    @NotNull List<@Valid @NotNull BinaryResult> binaries,
    @NotNull List<@Valid @NotNull CheckResult> checks,
    @NotNull String summary,
    List<@Valid @NotNull AccessResult> access) {

  public VerificationReport {
    access = access == null ? List.of() : List.copyOf(access);
  }

  /** A report without access rows (no check run got that far). */
  public VerificationReport(List<BinaryResult> binaries, List<CheckResult> checks, String summary) {
    this(binaries, checks, summary, List.of());
  }

  /**
   * One row of the access audit.
   *
   * @param user the user the item gives access to (or, for a socket, the user owning it)
   * @param kind {@code authorized_key}, {@code sshd}, {@code sudo_group}, {@code sudoers_file},
   *     {@code sudoers_rule} or {@code listening}
   * @param item what was found (a key's type, fingerprint and file; a group; a file; a socket)
   * @param ok whether the family declares it
   * @param detail why it is allowed or not
   */
  public record AccessResult(
      @NotNull String user,
      @NotNull String kind,
      @NotNull String item,
      boolean ok,
      String detail) {}

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
