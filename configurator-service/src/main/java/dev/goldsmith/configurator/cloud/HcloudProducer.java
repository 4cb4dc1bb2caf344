package dev.goldsmith.configurator.cloud;

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

/** The Hetzner client, configured from {@code hcloud.endpoint} and {@code hcloud.token}. */
@ApplicationScoped
public class HcloudProducer {

  @Produces
  @Singleton
  HcloudClient client(
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

  @Produces
  @Singleton
  CloudSshKeys sshKeys(HcloudClient client) {
    return new HcloudSshKeys(client);
  }

  void close(@Disposes HcloudClient client) {
    client.close();
  }
}
