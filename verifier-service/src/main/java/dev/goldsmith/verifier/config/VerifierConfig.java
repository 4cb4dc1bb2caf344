package dev.goldsmith.verifier.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Everything the verifier reads from configuration (prefix {@code goldsmith.verifier}). */
@ConfigMapping(prefix = "goldsmith.verifier")
public interface VerifierConfig {

  /** The verifier's own SSH key pair. */
  Ssh ssh();

  /** Channel probing (TCP 22 before any check). */
  Channel channel();

  /** Test servers. */
  Server server();

  /**
   * How many fresh servers are tried when the channel or the cloud fails; an artifact defect ends
   * the verification at once.
   */
  @WithDefault("3")
  int maxAttempts();

  /** How many verifications run at the same time. */
  @WithDefault("2")
  int maxConcurrent();

  /**
   * On SIGTERM, how long running verifications may go on to finish and publish their verdict; those
   * still running then are interrupted, delete their test server and are handed back un-acked
   * (redelivered after the restart), never a verdict.
   */
  @WithDefault("10s")
  Duration shutdownGrace();

  /** How many finished verdicts are remembered to answer redeliveries without recomputing. */
  @WithDefault("1000")
  int verdictMemory();

  /** The verifier's key pair. */
  interface Ssh {
    /**
     * Directory holding {@code id_ed25519} and {@code id_ed25519.pub}. In production it is a
     * mounted secret; never logged.
     */
    @WithDefault(".goldsmith/verifier-ssh")
    Path keyDir();

    /** Generate the key pair into {@link #keyDir()} when missing (local mode). */
    @WithDefault("false")
    boolean generateIfMissing();

    /** Connect and authentication timeout. */
    @WithDefault("20s")
    Duration connectTimeout();

    /** Timeout of each check command (user lookup, resolve, sshd -T, …). */
    @WithDefault("30s")
    Duration commandTimeout();

    /** Timeout of each binary's probe run (e.g. {@code podman --version}). */
    @WithDefault("20s")
    Duration probeTimeout();
  }

  /** Channel probe settings. */
  interface Channel {
    /** How long one address family is probed before it counts as unreachable. */
    @WithDefault("120s")
    Duration deadline();

    /** Pause between TCP attempts. */
    @WithDefault("2s")
    Duration interval();

    /** Timeout of one TCP connect. */
    @WithDefault("3s")
    Duration connectTimeout();

    /** In auto mode, how long IPv6 still gets once IPv4 answers. */
    @WithDefault("10s")
    Duration autoIpv6Grace();
  }

  /** Test server settings. */
  interface Server {
    /** How long a test server may take to reach {@code running}. */
    @WithDefault("5m")
    Duration runningTimeout();

    /** How long deleting a test server may take. */
    @WithDefault("2m")
    Duration deleteTimeout();

    /** How often the server status is read while it starts. */
    @WithDefault("1s")
    Duration statusPollInterval();

    /** Server type of test servers; the build's server type when unset. */
    Optional<String> type();

    /** Prefix of test server names ({@code <prefix>-<family>-<build id>}). */
    @WithDefault("gs-test")
    String namePrefix();
  }
}
