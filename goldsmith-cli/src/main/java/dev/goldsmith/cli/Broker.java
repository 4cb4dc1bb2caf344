package dev.goldsmith.cli;

import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.StringSerializer;

import dev.goldsmith.events.BuildRequested;
import dev.goldsmith.events.EventCodec;
import dev.goldsmith.events.KafkaEvents;

/**
 * Publishes a BuildRequested as CI does: key = build id, JSON value, CloudEvents headers with
 * {@code ce_source=/goldsmith/ci}, acks from every replica.
 */
final class Broker {
  static final String SOURCE = "/goldsmith/ci";

  private Broker() {}

  static void publish(String bootstrap, BuildRequested request) {
    List<String> violations = EventCodec.violations(request);
    if (!violations.isEmpty()) {
      throw new CliException(ExitCode.USAGE, "invalid request: " + String.join("; ", violations));
    }
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "15000");
    p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "10000");
    p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "15000");
    p.put(ProducerConfig.CLIENT_ID_CONFIG, "goldsmith-cli");
    try (KafkaProducer<String, String> producer =
        new KafkaProducer<>(p, new StringSerializer(), new StringSerializer())) {
      producer.send(KafkaEvents.toRecord(request, SOURCE)).get(20, TimeUnit.SECONDS);
    } catch (ExecutionException | TimeoutException | org.apache.kafka.common.KafkaException e) {
      throw new CliException(
          ExitCode.UNREACHABLE,
          "broker unreachable at "
              + bootstrap
              + " (set KAFKA_BOOTSTRAP_SERVERS or --bootstrap-servers): "
              + Registry.oneLine(
                  e.getCause() != null ? e.getCause().getMessage() : e.getMessage()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CliException(ExitCode.UNREACHABLE, "interrupted while publishing");
    }
  }
}
