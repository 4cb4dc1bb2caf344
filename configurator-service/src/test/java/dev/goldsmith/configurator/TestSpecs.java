package dev.goldsmith.configurator;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import dev.goldsmith.events.BuildOverrides;
import dev.goldsmith.events.BuildSpec;
import dev.goldsmith.events.BuilderReady;
import dev.goldsmith.events.NetworkMode;
import dev.goldsmith.families.FamilyLoader;
import dev.goldsmith.families.FamilyResolver;

/** Build specs for tests: the real vault-base family, with a test's playbook and variables. */
public final class TestSpecs {
  /** The repository's ansible/ tree (tests run in the module directory). */
  public static final Path ANSIBLE_DIR = Path.of("../ansible").toAbsolutePath().normalize();

  private TestSpecs() {}

  /** vault-base resolved as the registry would, then given {@code playbook} and {@code vars}. */
  public static BuildSpec spec(String playbook, Map<String, Object> vars, NetworkMode mode) {
    BuildSpec base =
        FamilyResolver.resolve(
            FamilyLoader.load(ANSIBLE_DIR.resolve("families/vault-base.yml")),
            BuildOverrides.NONE,
            "20261125-v1");
    return new BuildSpec(
        base.family(),
        base.version(),
        base.baseImage(),
        base.serverType(),
        base.location(),
        playbook,
        vars,
        base.verification(),
        mode,
        base.keepPrevious());
  }

  /**
   * A valid Ed25519 public host key of no real host: for runs that never open an SSH session (local
   * playbooks, closed ports).
   */
  public static final String UNUSED_HOST_KEY =
      "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIDbjAa9kqxzfxropLPkFPAo0nzm0sSk7KTtaKYR1fHFq";

  public static BuilderReady ready(
      UUID buildId, BuildSpec spec, long serverId, String ipv4, String ipv6) {
    return ready(buildId, spec, serverId, ipv4, ipv6, UNUSED_HOST_KEY);
  }

  public static BuilderReady ready(
      UUID buildId, BuildSpec spec, long serverId, String ipv4, String ipv6, String hostKey) {
    return new BuilderReady(buildId, spec, serverId, ipv4, ipv6, hostKey, Instant.now());
  }
}
