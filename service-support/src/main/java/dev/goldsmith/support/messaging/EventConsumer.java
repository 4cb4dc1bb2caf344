package dev.goldsmith.support.messaging;

import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Function;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

import io.quarkus.runtime.ShutdownEvent;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordMetadata;

import dev.goldsmith.events.PipelineEvent;
import dev.goldsmith.support.tracing.BuildTraces;

/**
 * The consumer helper every service's {@code @Incoming} method calls: one policy (see {@link
 * ConsumerPolicy}) for decoding, dead-lettering poison, retrying transient failures in place, the
 * {@value BuildMdc#KEY} MDC key and health. Typical use:
 *
 * <pre>{@code
 * @Incoming("builder-ready")
 * public Uni<Void> onBuilderReady(Message<String> message) {
 *   return consumer.handle(message, BuilderReady.class, ready -> service.configure(ready));
 * }
 * }</pre>
 *
 * <p>Return the Uni to the connector to keep the channel ordered (a record waiting out an outage
 * holds back the ones behind it); a handler that runs work in the background subscribes to it
 * instead and returns at once (the record is then retried in place without holding others back).
 */
@ApplicationScoped
public class EventConsumer {
  private static final Logger LOG = Logger.getLogger(EventConsumer.class);

  private final ConsumerPolicy policy;
  private final Config config;
  private final Set<String> checkedChannels = ConcurrentHashMap.newKeySet();

  @Inject
  public EventConsumer(
      ConsumerSettings settings, ConsumerHealth health, Config config, BuildTraces traces) {
    this.policy =
        new ConsumerPolicy(
            settings.backoff(), health, Infrastructure::getDefaultWorkerPool, traces);
    this.config = config;
  }

  /** Decodes the record as {@code type}, runs {@code work}, and settles the record. */
  public <T extends PipelineEvent> Uni<Void> handle(
      Message<String> message, Class<T> type, Function<T, Uni<Void>> work) {
    check(message);
    return policy.handle(message, type, work);
  }

  /** Runs {@code work} on the undecoded record (it throws InvalidEventException for poison). */
  public Uni<Void> handleRaw(Message<String> message, Function<Message<String>, Uni<Void>> work) {
    check(message);
    return policy.handleRaw(message, work);
  }

  /** For {@code @Blocking} methods: blocking work, retried on the worker thread. */
  public <T extends PipelineEvent> CompletionStage<Void> handleBlocking(
      Message<String> message, Class<T> type, Consumer<T> work) {
    check(message);
    return policy.handleBlocking(message, type, work);
  }

  /** For {@code @Blocking} methods on undecoded records. */
  public CompletionStage<Void> handleRawBlocking(
      Message<String> message, Consumer<Message<String>> work) {
    check(message);
    return policy.handleRawBlocking(message, work);
  }

  void onShutdown(@Observes ShutdownEvent event) {
    policy.stop();
  }

  @PreDestroy
  void stop() {
    policy.stop();
  }

  @SuppressWarnings("rawtypes")
  private void check(Message<String> message) {
    message
        .getMetadata(IncomingKafkaRecordMetadata.class)
        .map(m -> ((IncomingKafkaRecordMetadata) m).getChannel())
        .filter(checkedChannels::add)
        .ifPresent(
            channel -> {
              List<String> problems =
                  ChannelChecks.problems(channel, k -> config.getOptionalValue(k, String.class));
              if (!problems.isEmpty()) {
                LOG.errorf(
                    "channel %s is misconfigured for the consumer policy: %s",
                    channel, String.join("; ", problems));
              }
            });
  }
}
