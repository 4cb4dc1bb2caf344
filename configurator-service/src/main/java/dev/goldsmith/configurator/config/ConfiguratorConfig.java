package dev.goldsmith.configurator.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Everything the configurator service can be told, under {@code goldsmith.configurator}. */
@ConfigMapping(prefix = "goldsmith.configurator")
public interface ConfiguratorConfig {

  /** Ansible: where the playbooks live and how runs are bounded. */
  Ansible ansible();

  /** The configurator's own SSH key pair and how builders are reached. */
  Ssh ssh();

  /** Registration of the public key as a Hetzner SSH key. */
  Registration registration();

  /** Ansible settings. */
  interface Ansible {
    /**
     * The ansible/ tree (ansible.cfg, playbooks, roles). A spec's playbook is resolved relative to
     * it and may not leave it.
     */
    @WithDefault("ansible")
    Path dir();

    /** The ansible-playbook executable (a name looked up on PATH, or an absolute path). */
    @WithDefault("ansible-playbook")
    String playbookCommand();

    /** Per-build working directories: inventory, extra vars, known_hosts, recorded outcome. */
    @WithDefault("${user.home}/.goldsmith/configurator/work")
    Path workDir();

    /** Full playbook logs, one directory per build; the event's logRef points here. */
    @WithDefault("${user.home}/.goldsmith/configurator/logs")
    Path logDir();

    /**
     * Root of the per-build SSH ControlMaster socket directories. Unix socket paths are limited to
     * 108 bytes, so this must be short.
     */
    @WithDefault("/tmp/goldsmith-cp")
    Path controlPathDir();

    /** A playbook run still going after this long is killed (with its whole process tree). */
    @WithDefault("PT30M")
    Duration timeout();

    /** After SIGTERM on timeout, how long the process tree gets before SIGKILL. */
    @WithDefault("PT10S")
    Duration killGrace();

    /** Playbook runs in parallel; further BuilderReady events wait for a free slot. */
    @WithDefault("2")
    int maxConcurrentRuns();

    /** Copy every line of the playbook's output into the service log (with the build id). */
    @WithDefault("true")
    boolean streamLog();

    /**
     * The image_hygiene variable that lists the public keys to remove from every authorized_keys;
     * the configurator passes its own public key in it.
     */
    @WithDefault("image_hygiene_build_pubkeys")
    String hygieneKeysVariable();
  }

  /** SSH settings. */
  interface Ssh {
    /** The private key (OpenSSH format, ed25519). It never leaves this service. */
    @WithDefault("${user.home}/.goldsmith/configurator/id_ed25519")
    Path privateKey();

    /** The public key; defaults to the private key's path plus {@code .pub}. */
    Optional<Path> publicKey();

    /**
     * Generate an ed25519 pair with ssh-keygen when the private key is missing (local mode). When
     * false a missing key stops the service at start.
     */
    @WithDefault("false")
    boolean generateIfMissing();

    /**
     * Comment of a generated key. It starts with {@code goldsmith-}, which image_hygiene's default
     * comment pattern also removes.
     */
    @WithDefault("goldsmith-configurator")
    String keyComment();

    /** The user Ansible logs in as on builders (Hetzner puts project keys on root). */
    @WithDefault("root")
    String remoteUser();

    /** sshd port of builders. */
    @WithDefault("22")
    int port();

    /** TCP connect timeout of the IPv6 probe in network mode auto. */
    @WithDefault("PT3S")
    Duration probeTimeout();
  }

  /** Hetzner SSH key registration. */
  interface Registration {
    /** Register the public key at start (off only for tests that have no API). */
    @WithDefault("true")
    boolean enabled();

    /** How long to wait before trying again when registration failed (e.g. API unreachable). */
    @WithDefault("PT30S")
    Duration retryInterval();

    /**
     * How often the registered key is looked up again (a key deleted in the project is registered
     * anew); readiness only reads the result.
     */
    @WithDefault("PT5M")
    Duration checkInterval();
  }
}
