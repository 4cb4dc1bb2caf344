package dev.goldsmith.configurator.messaging;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;

import dev.goldsmith.configurator.configuring.ConfiguratorService;
import dev.goldsmith.events.BuilderConfigured;
import dev.goldsmith.events.BuilderReady;
import dev.goldsmith.events.messaging.EventMessages;
import dev.goldsmith.support.messaging.BuildMdc;
import dev.goldsmith.support.messaging.EventConsumer;
import dev.goldsmith.support.tracing.BuildTraces;

/**
 * Kafka adapter: BuilderReady in, BuilderConfigured out, under the shared consumer policy ({@link
 * EventConsumer}). The handler hands the build to {@link ConfiguratorService} and returns at once,
 * so the consumer keeps polling while playbooks run; the record is acknowledged only after its
 * BuilderConfigured is on the broker.
 *
 * <ul>
 *   <li>An undecodable or invalid BuilderReady (e.g. without a host key) is poison: dead-lettered
 *       with its reason, nothing runs.
 *   <li>Anything else that keeps the event from the broker (the broker refusing the publish, the
 *       work directory unwritable, a run that could not start) is retried in place with backoff,
 *       never dead-lettered and never turned into a FAILED outcome. A retry after the run finished
 *       publishes the recorded outcome again; it does not run the playbook again.
 *   <li>What happened on the builder (a failed task, an unreachable builder, a refused spec, a
 *       timeout) is an outcome: BuilderConfigured FAILED with its reason class, acked.
 *   <li>On shutdown a running playbook is killed and its record handed back un-acked (see {@link
 *       ConfiguratorService}): redelivered, never dead-lettered, never an outcome.
 * </ul>
 */
@ApplicationScoped
public class BuilderReadyConsumer {
  static final String IN = "builder-ready";
  static final String OUT = "builder-configured";
  static final String SOURCE = "/goldsmith/configurator";

  private final EventConsumer consumer;
  private final ConfiguratorService service;
  private final MutinyEmitter<String> configured;
  private final BuildTraces traces;

  @Inject
  public BuilderReadyConsumer(
      BuildTraces traces,
      EventConsumer consumer,
      ConfiguratorService service,
      @Channel(OUT) MutinyEmitter<String> configured) {
    this.consumer = consumer;
    this.service = service;
    this.configured = configured;
    this.traces = traces;
  }

  @Incoming(IN)
  public CompletionStage<Void> onBuilderReady(Message<String> message) {
    // Long work in the background: the helper settles the record (ack, dead letter, retry in
    // place, hand back) when it is done; the channel goes on with the next record meanwhile, and
    // the throttled commit strategy commits no offset past an unsettled one.
    consumer
        .handle(message, BuilderReady.class, this::configure)
        .subscribe()
        .with(ok -> {}, e -> Log.errorf(e, "BuilderReady record not settled"));
    return CompletableFuture.completedFuture(null);
  }

  /** Configures the builder (or finds the recorded outcome) and publishes the event. */
  Uni<Void> configure(BuilderReady ready) {
    Log.infof("build=%s BuilderReady received server=%d", ready.buildId(), ready.serverId());
    return Uni.createFrom()
        .completionStage(() -> service.submit(ready))
        .chain(result -> publish(result.event()));
  }

  /** Sends the event; completes when the broker has it (acks=all). */
  Uni<Void> publish(BuilderConfigured event) {
    return configured
        .sendMessage(
            traces.traced(EventMessages.toMessage(event, SOURCE), event.buildId().toString()))
        .invoke(
            // on the producer's thread: the build id goes into the MDC again
            () ->
                BuildMdc.run(
                    event.buildId().toString(),
                    () ->
                        Log.infof(
                            "build=%s BuilderConfigured published outcome=%s",
                            event.buildId(), event.outcome())));
  }
}
