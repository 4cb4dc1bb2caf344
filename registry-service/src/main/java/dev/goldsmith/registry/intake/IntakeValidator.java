package dev.goldsmith.registry.intake;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

import dev.goldsmith.events.BuildOverrides;
import dev.goldsmith.events.BuildRequested;
import dev.goldsmith.events.BuildSpec;
import dev.goldsmith.events.EventCodec;
import dev.goldsmith.events.ExtraVarsPolicy;
import dev.goldsmith.families.Family;
import dev.goldsmith.families.FamilyResolver;

/**
 * The pure part of intake: what can be said about a request from the request and the family files
 * alone (size, family known, resolved spec valid, extra vars allowed), every problem at once. No
 * database, no cloud: {@link IntakeService} adds the checks that need them (version taken, server
 * type and location exist).
 */
public final class IntakeValidator {
  /** A syntactically valid version used to validate a spec before its version is allocated. */
  static final String PLACEHOLDER_VERSION = "00000000-v1";

  private IntakeValidator() {}

  /**
   * What validation found.
   *
   * @param family the request's family, null when unknown
   * @param spec the spec resolved with a placeholder version, null when the family is unknown
   * @param errors every problem, empty when the request is valid so far
   */
  public record Result(Family family, BuildSpec spec, List<String> errors) {}

  /** The problem with a payload of {@code payload}'s size, empty when it is small enough. */
  public static Optional<String> payloadSize(String payload, int maxBytes) {
    int bytes = payload == null ? 0 : payload.getBytes(StandardCharsets.UTF_8).length;
    return bytes > maxBytes
        ? Optional.of("payload: " + bytes + " bytes, at most " + maxBytes + " are accepted")
        : Optional.empty();
  }

  /** Validates a decoded request against the family files. */
  public static Result validate(BuildRequested request, Map<String, Family> families) {
    List<String> errors = new ArrayList<>();
    Family family = families.get(request.family());
    if (family == null) {
      errors.add(
          "family: '"
              + request.family()
              + "' is not defined (known: "
              + String.join(", ", new TreeSet<>(families.keySet()))
              + ")");
      return new Result(null, null, errors);
    }
    BuildOverrides overrides = request.overridesOrEmpty();
    BuildSpec spec = FamilyResolver.resolve(family, overrides, PLACEHOLDER_VERSION);
    errors.addAll(ExtraVarsPolicy.problems(spec.extraVars()));
    EventCodec.violations(spec).stream().map(v -> "spec." + v).forEach(errors::add);
    return new Result(family, spec, errors);
  }
}
