package dev.goldsmith.provisioner.config;

import java.time.Duration;
import java.util.Optional;
import java.util.Set;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import dev.goldsmith.events.Verdict;

/** Everything the provisioner reads from configuration (prefix {@code goldsmith.provisioner}). */
@ConfigMapping(prefix = "goldsmith.provisioner")
public interface ProvisionerConfig {

  /** Builder servers. */
  Builder builder();

  /** Power-off and snapshot. */
  Snapshot snapshot();

  /** The janitor that reaps orphaned servers and SSH keys. */
  Janitor janitor();

  /**
   * Deadline of each cleanup (deleting a builder or a half-made snapshot) run after a failed step;
   * each cleanup gets its own, because the failed run's may already be used up.
   */
  @WithDefault("5m")
  Duration cleanupTimeout();

  /**
   * On SIGTERM, how long the steps in flight may take to end before the process goes on stopping
   * (see {@code BuildFlows#onShutdown}); no new step starts meanwhile.
   */
  @WithDefault("10s")
  Duration shutdownGrace();

  /** Interval between polls of a server's or an image's status. */
  @WithDefault("2s")
  Duration pollInterval();

  /** Builder servers. */
  interface Builder {
    /** Prefix of builder names: {@code <prefix>-<family>-<build id>}, at most 63 characters. */
    @WithDefault("gs")
    String namePrefix();

    /**
     * How long to wait for the configurator's SSH key (label {@code goldsmith.dev/role=
     * configurator}) to appear before the build fails; the configurator registers it at startup.
     */
    @WithDefault("30s")
    Duration sshKeyWait();

    /** Deadline of the create-server actions. */
    @WithDefault("10m")
    Duration createTimeout();

    /** Deadline for a found or created builder to reach {@code running}. */
    @WithDefault("5m")
    Duration runningTimeout();

    /**
     * Where the public halves of the builders' host keys are kept, one file per build, so a
     * redelivered BuildAccepted publishes the same key (see {@code BuilderHostKeys}).
     */
    @WithDefault("${user.home}/.goldsmith/provisioner/host-keys")
    String hostKeyDir();
  }

  /** Power-off and snapshot. */
  interface Snapshot {
    /** How long a graceful (ACPI) shutdown may take before the builder is powered off hard. */
    @WithDefault("2m")
    Duration shutdownGrace();

    /** Deadline of the create_image action and of the image becoming {@code available}. */
    @WithDefault("60m")
    Duration createTimeout();

    /** Deadline for a deleted builder to be gone (404). */
    @WithDefault("10m")
    Duration deleteTimeout();
  }

  /** The janitor. */
  interface Janitor {
    /** Whether the janitor sweeps at all (its consumer still records terminal builds). */
    @WithDefault("true")
    boolean enabled();

    /** Log and count what would be deleted, delete nothing. */
    @WithDefault("false")
    boolean dryRun();

    /** Interval of the scheduled sweep (also a Quarkus scheduler expression, e.g. {@code 5m}). */
    @WithDefault("5m")
    String interval();

    /** Age after which a managed builder server is an orphan. */
    @WithDefault("2h")
    Duration builderTtl();

    /** Age after which a managed test server (the verifier's) is an orphan. */
    @WithDefault("1h")
    Duration testTtl();

    /**
     * Whether the long-lived service SSH keys and servers (role configurator or verifier) may be
     * reaped; when true they fall under {@link #serviceKeyTtl()}.
     */
    @WithDefault("false")
    boolean includeServiceKeys();

    /** Age after which a service key is reaped, only when {@link #includeServiceKeys()}. */
    @WithDefault("30d")
    Duration serviceKeyTtl();

    /** The registry the janitor asks whether a build is active, terminal or unknown. */
    Registry registry();

    /** How many terminal build ids are kept in memory (oldest forgotten first). */
    @WithDefault("10000")
    int terminalBuildsCapacity();

    /**
     * Verification verdicts after which a build is terminal for the janitor. PASSED is followed by
     * promotion (ImagePromoted), which is terminal anyway.
     */
    @WithDefault("ARTIFACT_DEFECT")
    Set<Verdict> terminalVerdicts();
  }

  /** The registry, the durable record of every build's status. */
  interface Registry {
    /** Base URL of the registry service ({@code GET <url>/api/builds/<build id>}). */
    @WithDefault("http://127.0.0.1:8081")
    String url();

    /** Bearer token for the registry's reads, when it has read tokens configured. */
    Optional<String> token();

    /** Connect and request timeout of one lookup. */
    @WithDefault("5s")
    Duration timeout();
  }
}
