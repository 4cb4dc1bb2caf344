package dev.goldsmith.registry.cloud;

import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.vertx.mutiny.core.Vertx;

import dev.goldsmith.hcloud.HcloudClient;
import dev.goldsmith.hcloud.HcloudConfig;

/** The one Hetzner client of the process, from {@code hcloud.endpoint} and {@code hcloud.token}. */
@ApplicationScoped
public class HcloudClientProducer {

  @Produces
  @Singleton
  HcloudClient client(
      Vertx vertx,
      @ConfigProperty(name = "hcloud.endpoint", defaultValue = HcloudConfig.DEFAULT_ENDPOINT)
          String endpoint,
      @ConfigProperty(name = "hcloud.token") Optional<String> token) {
    String t =
        token
            .filter(v -> !v.isBlank())
            .orElseThrow(
                () -> new IllegalStateException("hcloud.token (env HCLOUD_TOKEN) is not set"));
    return HcloudClient.create(HcloudConfig.of(endpoint, t), vertx);
  }

  void close(@Disposes HcloudClient client) {
    client.close();
  }
}
