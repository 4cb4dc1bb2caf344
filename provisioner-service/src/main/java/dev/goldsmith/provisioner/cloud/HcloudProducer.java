package dev.goldsmith.provisioner.cloud;

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

/** Builds the one {@link HcloudClient} of the process from {@code hcloud.endpoint/token}. */
@ApplicationScoped
public class HcloudProducer {

  @Produces
  @Singleton
  HcloudClient client(
      Vertx vertx,
      MeterRegistry registry,
      @ConfigProperty(name = "hcloud.endpoint") String endpoint,
      @ConfigProperty(name = "hcloud.token") String token) {
    HcloudClient client = HcloudClient.create(HcloudConfig.of(endpoint, token), vertx);
    HcloudMetrics.bind(client, registry);
    return client;
  }

  void close(@Disposes HcloudClient client) {
    client.close();
  }
}
