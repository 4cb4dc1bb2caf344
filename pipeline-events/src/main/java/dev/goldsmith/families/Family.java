package dev.goldsmith.families;

import java.util.List;
import java.util.Map;

import dev.goldsmith.events.NetworkMode;
import dev.goldsmith.events.VerificationMatrix;

/**
 * A family as declared in {@code ansible/families/<name>.yml}: what to build by default and what a
 * fresh instance must prove.
 *
 * @param overridable the variables a request may set in {@code overrides.extraVars}, each declared
 *     with its type in some role's {@code meta/argument_specs.yml}
 */
public record Family(
    String name,
    String description,
    String baseImage,
    String serverType,
    String location,
    String playbook,
    NetworkMode networkMode,
    int keepPrevious,
    Map<String, Object> extraVars,
    VerificationMatrix verification,
    List<String> overridable) {

  public Family {
    overridable = overridable == null ? List.of() : List.copyOf(overridable);
  }
}
