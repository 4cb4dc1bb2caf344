package dev.goldsmith.verifier.service;

import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.mutiny.core.Vertx;

import dev.goldsmith.hcloud.HcloudClient;
import dev.goldsmith.hcloud.HcloudConfig;
import dev.goldsmith.hcloud.HcloudMetrics;
import dev.goldsmith.verifier.channel.ChannelSettings;
import dev.goldsmith.verifier.cloud.HcloudTestServers;
import dev.goldsmith.verifier.cloud.TestServers;
import dev.goldsmith.verifier.config.VerifierConfig;
import dev.goldsmith.verifier.ssh.OpenSshKeyPair;
import dev.goldsmith.verifier.ssh.VerifierKeyStore;
import dev.goldsmith.verifier.verification.VerifierSettings;

/** Wires the plain domain classes into CDI. */
@ApplicationScoped
public class VerifierBeans {

  @Produces
  @Singleton
  HcloudClient hcloud(
      @ConfigProperty(name = "hcloud.endpoint", defaultValue = HcloudConfig.DEFAULT_ENDPOINT)
          String endpoint,
      @ConfigProperty(name = "hcloud.token") Optional<String> token,
      Vertx vertx,
      MeterRegistry meters) {
    HcloudClient client =
        HcloudClient.create(
            HcloudConfig.of(
                endpoint,
                token
                    .filter(t -> !t.isBlank())
                    .orElseThrow(
                        () ->
                            new IllegalStateException(
                                "hcloud.token (env HCLOUD_TOKEN) is not set"))),
            vertx);
    HcloudMetrics.bind(client, meters);
    return client;
  }

  void close(@Disposes HcloudClient client) {
    client.close();
  }

  @Produces
  @Singleton
  TestServers testServers(
      HcloudClient client,
      VerifierConfig config,
      @ConfigProperty(name = "goldsmith.installation-id") Optional<String> installationId) {
    return new HcloudTestServers(client, config.server().statusPollInterval(), installationId);
  }

  /** The verifier's own key pair, loaded (or generated in local mode) once. */
  @Produces
  @Singleton
  OpenSshKeyPair ownKey(VerifierConfig config) {
    return VerifierKeyStore.loadOrGenerate(config.ssh().keyDir(), config.ssh().generateIfMissing());
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
