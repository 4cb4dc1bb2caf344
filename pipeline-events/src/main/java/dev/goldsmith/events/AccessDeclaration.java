package dev.goldsmith.events;

import java.util.List;
import java.util.Map;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;

/**
 * Who may reach a fresh instance of the image, as the family declares it. The verifier audits the
 * instance against it: any authorized key, sudo group member, {@code /etc/sudoers.d} file, {@code
 * /etc/sudoers} rule or listening socket not declared here is an artifact defect. An empty
 * declaration allows nothing (the verifier's own key, which it injects through the cloud for root,
 * is the only key that is not part of the image).
 *
 * @param authorizedKeys per user, the public keys (OpenSSH {@code type base64 [comment]}) baked
 *     into the image; a user not listed may have none
 * @param sudoers who may become root through sudo
 * @param listening the TCP/UDP ports a fresh instance may listen on (any address)
 */
public record AccessDeclaration(
    @NotNull
        Map<@Pattern(regexp = Patterns.USER) String, @NotNull List<@NotBlank String>>
            authorizedKeys,
    @NotNull @Valid Sudoers sudoers,
    @NotNull List<@Valid @NotNull Listening> listening) {

  /** Declares nothing: every key, sudo member, sudoers file and socket found is undeclared. */
  public static final AccessDeclaration NONE =
      new AccessDeclaration(Map.of(), new Sudoers(Map.of(), List.of(), List.of()), List.of());

  /**
   * Sudo access.
   *
   * @param groups per sudo-granting group ({@code sudo}, {@code wheel} and any group a sudoers rule
   *     names with {@code %}), the members allowed (secondary or primary)
   * @param files file names allowed in {@code /etc/sudoers.d}
   * @param rules lines allowed in {@code /etc/sudoers} and the files of {@code /etc/sudoers.d}
   *     beyond the Debian defaults (whitespace normalised), so a declared file's content is audited
   *     too
   */
  public record Sudoers(
      @NotNull Map<@Pattern(regexp = Patterns.USER) String, @NotNull List<@NotBlank String>> groups,
      @NotNull List<@NotBlank String> files,
      @NotNull List<@NotBlank String> rules) {}

  /** A port a fresh instance may listen on. */
  public record Listening(
      @NotNull @Pattern(regexp = "^(tcp|udp)$") String proto, @Min(1) @Max(65535) int port) {}
}
