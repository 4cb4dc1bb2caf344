package dev.goldsmith.families;

import java.util.LinkedHashMap;
import java.util.Map;

import dev.goldsmith.events.BuildOverrides;
import dev.goldsmith.events.BuildSpec;

/** Applies a request's overrides to its family's defaults, giving the fully resolved spec. */
public final class FamilyResolver {
  private FamilyResolver() {}

  /**
   * Resolves a spec.
   *
   * @param version the version to build (allocated by the registry or given as an override)
   */
  public static BuildSpec resolve(Family family, BuildOverrides overrides, String version) {
    return resolve(family, overrides, version, null);
  }

  /**
   * Resolves a spec for an installation.
   *
   * @param installationId the id every resource of the build is labelled with
   */
  public static BuildSpec resolve(
      Family family, BuildOverrides overrides, String version, String installationId) {
    BuildOverrides o = overrides == null ? BuildOverrides.NONE : overrides;
    Map<String, Object> vars = new LinkedHashMap<>(family.extraVars());
    if (o.extraVars() != null) {
      vars.putAll(o.extraVars());
    }
    return new BuildSpec(
        family.name(),
        version,
        o.baseImage() != null ? o.baseImage() : family.baseImage(),
        o.serverType() != null ? o.serverType() : family.serverType(),
        o.location() != null ? o.location() : family.location(),
        family.playbook(),
        vars,
        family.verification(),
        o.networkMode() != null ? o.networkMode() : family.networkMode(),
        family.keepPrevious(),
        installationId);
  }
}
