package dev.goldsmith.configurator.messaging;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.MDC;

import io.quarkus.logging.Log;
import io.smallrye.reactive.messaging.MutinyEmitter;

import dev.goldsmith.configurator.configuring.ConfiguratorService;
import dev.goldsmith.events.BuilderConfigured;
import dev.goldsmith.events.BuilderReady;
import dev.goldsmith.events.InvalidEventException;
import dev.goldsmith.events.messaging.EventMessages;

/**
 * Kafka adapter: BuilderReady in, BuilderConfigured out. The handler hands the build to {@link
 * ConfiguratorService} and returns at once, so the consumer keeps polling while playbooks run; the
 * record is acknowledged only after its BuilderConfigured is on the broker (at-least-once: a crash
 * before that means redelivery, which publishes a recorded outcome again or runs the playbook
 * again).
 */
@ApplicationScoped
public class BuilderReadyConsumer {
  static final String IN = "builder-ready";
  static final String OUT = "builder-configured";
  static final String SOURCE = "/goldsmith/configurator";

  private final ConfiguratorService service;
  private final MutinyEmitter<String> configured;

  @Inject
  public BuilderReadyConsumer(
      ConfiguratorService service, @Channel(OUT) MutinyEmitter<String> configured) {
    this.service = service;
    this.configured = configured;
  }

  @Incoming(IN)
  public CompletionStage<Void> onBuilderReady(Message<String> message) {
    BuilderReady ready;
    try {
      ready = EventMessages.decode(message, BuilderReady.class);
    } catch (InvalidEventException e) {
      Log.warnf("invalid BuilderReady parked on the dead-letter topic: %s", e.getMessage());
      return message.nack(e);
    }
    MDC.put("buildId", ready.buildId().toString());
    try {
      Log.infof("build=%s BuilderReady received server=%d", ready.buildId(), ready.serverId());
    } finally {
      MDC.remove("buildId");
    }
    service
        .submit(ready)
        .thenCompose(result -> publish(result.event()))
        .whenComplete(
            (ok, failure) -> {
              if (failure == null) {
                message.ack();
              } else {
                Log.errorf(
                    failure,
                    "build=%s no BuilderConfigured published; the record goes to the dead-letter"
                        + " topic",
                    ready.buildId());
                message.nack(failure);
              }
            });
    // Handled asynchronously: acknowledged (or nacked) when the run and the publish are done.
    return CompletableFuture.completedFuture(null);
  }

  /** Sends the event; completes when the broker has it (acks=all). */
  CompletionStage<Void> publish(BuilderConfigured event) {
    return configured
        .sendMessage(EventMessages.toMessage(event, SOURCE))
        .subscribeAsCompletionStage()
        .thenRun(
            () ->
                Log.infof(
                    "build=%s BuilderConfigured published outcome=%s",
                    event.buildId(), event.outcome()));
  }
}
