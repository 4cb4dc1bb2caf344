package dev.goldsmith.emulator.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;

/**
 * Everything the emulator reads from configuration (prefix {@code emulator}). The hosts backend's
 * keys ({@code emulator.hosts.*}) are read raw by the backend factory.
 */
@ConfigMapping(prefix = "emulator")
public interface EmulatorConfig {

  /** Which backend stands behind servers: {@code virtual} or {@code hosts}. */
  @WithDefault("virtual")
  String backend();

  /** API tokens; each token is its own project with isolated state. */
  List<String> tokens();

  /** Tokens that may only read (non-GET requests get 403 token_readonly). */
  Optional<List<String>> readOnlyTokens();

  /** When set, state is loaded from and written to this JSON file. */
  Optional<Path> stateFile();

  /** Keep {@code datacenter} in server objects (old clients crash without it). */
  @WithDefault("true")
  boolean serverDatacenter();

  /** Rate limiting. */
  RateLimit rateLimit();

  /** Action durations. */
  Actions actions();

  /** Project quotas. */
  Limits limits();

  /** Virtual backend behaviour. */
  Virtual virtual();

  /** Token bucket per project. */
  interface RateLimit {
    /** Whether an empty bucket answers 429 (headers are always sent). */
    @WithDefault("true")
    boolean enabled();

    /** Bucket size (requests per hour as reported in RateLimit-Limit). */
    @WithDefault("3600")
    int limit();

    /** Requests added back to the bucket per second. */
    @WithDefault("1")
    double refillPerSecond();
  }

  /** How long actions run at least (the backend call may take longer). */
  interface Actions {
    /** Default minimum duration of an action. */
    @WithDefault("300ms")
    Duration defaultDuration();

    /**
     * Per-command minimum durations, e.g. {@code emulator.actions.duration.create_image=2s}; keys
     * are action commands.
     */
    @WithName("duration")
    Map<String, Duration> perCommand();

    /** How often the server status is polled for {@code off} after a shutdown. */
    @WithDefault("100ms")
    Duration shutdownPollInterval();
  }

  /** Project quotas (resource_limit_exceeded past them). */
  interface Limits {
    /** Servers per project. */
    @WithDefault("50")
    int servers();

    /** Snapshots per project. */
    @WithDefault("200")
    int snapshots();
  }

  /** Virtual backend. */
  interface Virtual {
    /** Delay between a shutdown request and the virtual server being off. */
    @WithDefault("200ms")
    Duration shutdownDelay();

    /** Size reported for a captured snapshot, in bytes. */
    @WithDefault("1610612736")
    long snapshotSizeBytes();
  }
}
