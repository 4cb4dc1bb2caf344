package dev.goldsmith.registry.config;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The registry's configuration, prefix {@code goldsmith.registry}. */
@ConfigMapping(prefix = "goldsmith.registry")
public interface RegistryConfig {

  /** Families and the directory their files are read from. */
  Families families();

  /** Bounds of intake. */
  Intake intake();

  /** Promotion and deletion tasks. */
  Tasks tasks();

  /** The operators' REST API. */
  Api api();

  /** Stage deadlines: the watchdog that re-drives, then fails, builds that stopped moving. */
  Watchdog watchdog();

  /** The dead-letter tooling (listing and replaying parked records). */
  DeadLetters deadLetters();

  /** The CloudEvents {@code source} of every event the registry publishes. */
  @WithDefault("/goldsmith/registry")
  String eventSource();

  /** Families. */
  interface Families {
    /**
     * Directory of the family files ({@code <name>.yml}); relative paths resolve against the
     * working directory, so running from {@code registry-service/} finds the repository's families.
     */
    @WithDefault("../ansible/families")
    String dir();

    /**
     * The roles whose {@code meta/argument_specs.yml} type the families' overridable variables;
     * default: {@code roles} next to the families directory.
     */
    Optional<String> rolesDir();
  }

  /** Intake bounds. */
  interface Intake {
    /** Largest BuildRequested payload accepted, in bytes of UTF-8; larger ones are rejected. */
    @WithDefault("65536")
    int maxPayloadBytes();
  }

  /** Cloud tasks (promotion steps, deletions) and the outbox. */
  interface Tasks {
    /**
     * How often pending cloud tasks are resumed (besides right after each commit and at startup).
     */
    @WithDefault("30s")
    Duration resumeInterval();

    /** Delay after startup before pending tasks of a previous process are resumed. */
    @WithDefault("5s")
    Duration startupDelay();

    /** How often unpublished outbox events are retried. */
    @WithDefault("5s")
    Duration outboxInterval();

    /** Delay before a failed task step is tried again (doubled per attempt, capped at 10 min). */
    @WithDefault("10s")
    Duration retryDelay();

    /**
     * How long a claimed cloud task belongs to the instance that claimed it (renewed at each step);
     * after that another instance may take it over (the claimant died).
     */
    @WithDefault("2m")
    Duration lease();

    /** Attempts after which a task or an outbox row is parked for an operator. */
    @WithDefault("20")
    int maxAttempts();

    /**
     * Whether tasks run right after the commit that creates them (off only to test crash recovery).
     */
    @WithDefault("true")
    boolean runAfterCommit();
  }

  /** REST API access. */
  interface Api {
    /** Bearer tokens allowed to mutate (promote, revoke). Without any, every mutation gets 401. */
    Optional<List<String>> tokens();

    /** Bearer tokens that may read but not mutate (403 on mutations). */
    Optional<List<String>> readOnlyTokens();

    /** Whether reads need no token; when false, reads need any known token. */
    @WithDefault("true")
    boolean readsOpen();

    /**
     * How long a family's promoted lookup is answered from memory before it is read again; a change
     * on this instance drops it at once, so this bounds how late another instance's promotion is
     * seen. Zero: read every time.
     */
    @WithDefault("1s")
    java.time.Duration promotedTtl();
  }

  /**
   * Stage deadlines, each derived from the timeouts of the service doing the stage, plus a margin.
   */
  interface Watchdog {
    /** Whether the watchdog runs. */
    @WithDefault("true")
    boolean enabled();

    /** How often builds past their deadline are looked for. */
    @WithDefault("30s")
    Duration interval();

    /** How often a stage is re-driven before the build ends FAILED (reason deadline). */
    @WithDefault("1")
    int redrives();

    /** ACCEPTED → BuilderReady: the provisioner's create and running timeouts plus margin. */
    @WithDefault("20m")
    Duration provision();

    /**
     * PROVISIONED → BuilderConfigured: the configurator's playbook timeout (30 min) plus margin.
     */
    @WithDefault("40m")
    Duration configure();

    /**
     * CONFIGURED → SnapshotCreated: the provisioner's shutdown grace, snapshot and delete timeouts
     * (about 75 min) plus margin.
     */
    @WithDefault("90m")
    Duration snapshot();

    /**
     * SNAPSHOTTED → VerificationFinished: the verifier's attempts × (boot wait + channel deadline +
     * checks) plus margin.
     */
    @WithDefault("70m")
    Duration verify();
  }

  /** Where the dead-letter topic is read and replays are sent, and how long either may take. */
  interface DeadLetters {
    /** The broker holding the dead-letter topic (and the topics replays go back to). */
    @WithDefault("${kafka.bootstrap.servers}")
    String bootstrapServers();

    /** The dead-letter topic. */
    @WithDefault("goldsmith.dead-letter")
    String topic();

    /** How long one read of the topic or one replay may take before the API answers 503. */
    @WithDefault("10s")
    Duration timeout();
  }
}
