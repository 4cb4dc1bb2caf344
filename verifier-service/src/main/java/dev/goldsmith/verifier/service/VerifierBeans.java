package dev.goldsmith.verifier.service;

import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import dev.goldsmith.hcloud.HcloudClient;
import dev.goldsmith.support.ssh.SshKeyFile;
import dev.goldsmith.support.ssh.SshKeyFiles;
import dev.goldsmith.verifier.channel.ChannelSettings;
import dev.goldsmith.verifier.cloud.HcloudTestServers;
import dev.goldsmith.verifier.cloud.TestServers;
import dev.goldsmith.verifier.config.VerifierConfig;
import dev.goldsmith.verifier.verification.VerifierSettings;

/** Wires the plain domain classes into CDI. */
@ApplicationScoped
public class VerifierBeans {
  /** Comment of a generated verifier key. */
  public static final String OWN_KEY_COMMENT = "goldsmith-verifier";

  @Produces
  @Singleton
  TestServers testServers(
      HcloudClient client,
      VerifierConfig config,
      @ConfigProperty(name = "goldsmith.installation-id") Optional<String> installationId) {
    return new HcloudTestServers(client, config.server().statusPollInterval(), installationId);
  }

  /** The verifier's own key pair on disk, loaded (or generated in local mode) once. */
  @Produces
  @Singleton
  SshKeyFile ownKey(VerifierConfig config) {
    return SshKeyFiles.loadOrGenerate(
        config.ssh().keyDir().resolve("id_ed25519"),
        config.ssh().keyDir().resolve("id_ed25519.pub"),
        config.ssh().generateIfMissing(),
        OWN_KEY_COMMENT,
        "goldsmith.verifier.ssh.generate-if-missing");
  }

  @Produces
  @Singleton
  VerifierSettings settings(VerifierConfig c) {
    return new VerifierSettings(
        c.maxAttempts(),
        c.server().runningTimeout(),
        c.server().deleteTimeout(),
        new ChannelSettings(
            c.channel().deadline(),
            c.channel().interval(),
            c.channel().connectTimeout(),
            c.channel().autoIpv6Grace()),
        c.ssh().connectTimeout(),
        c.ssh().commandTimeout(),
        c.ssh().probeTimeout());
  }
}
