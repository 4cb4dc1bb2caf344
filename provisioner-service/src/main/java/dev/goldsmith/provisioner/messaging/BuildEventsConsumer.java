package dev.goldsmith.provisioner.messaging;

import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.MDC;

import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;

import dev.goldsmith.events.BuildAccepted;
import dev.goldsmith.events.BuilderConfigured;
import dev.goldsmith.events.InvalidEventException;
import dev.goldsmith.events.messaging.EventMessages;
import dev.goldsmith.provisioner.provisioning.BuildFlows;
import dev.goldsmith.provisioner.provisioning.BuildRun;

/**
 * Kafka adapter of the provisioner: decodes BuildAccepted and BuilderConfigured and starts the
 * matching flow without waiting for it, so the consumer goes on with other builds while one waits
 * minutes for the cloud. Each message is acked only when its flow has ended and its outcome event
 * (BuilderReady, SnapshotCreated or BuildFailed) is on the broker; until then the throttled commit
 * strategy keeps its offset uncommitted, so a crash redelivers it and the flow resumes from the
 * resources it finds by label. Invalid events are nacked into the dead-letter topic.
 */
@ApplicationScoped
public class BuildEventsConsumer {
  private final BuildFlows flows;

  public BuildEventsConsumer(BuildFlows flows) {
    this.flows = flows;
  }

  @Incoming("build-accepted")
  public Uni<Void> onBuildAccepted(Message<String> message) {
    BuildAccepted event;
    try {
      event = EventMessages.decode(message, BuildAccepted.class);
    } catch (InvalidEventException e) {
      Log.warnf("invalid BuildAccepted, dead-lettered: %s", e.getMessage());
      return Uni.createFrom().completionStage(message.nack(e));
    }
    Log.infof(
        "BuildAccepted received buildId=%s family=%s", event.buildId(), event.spec().family());
    start(event.buildId(), message, flows.provision(event));
    return Uni.createFrom().voidItem();
  }

  @Incoming("builder-configured")
  public Uni<Void> onBuilderConfigured(Message<String> message) {
    BuilderConfigured event;
    try {
      event = EventMessages.decode(message, BuilderConfigured.class);
    } catch (InvalidEventException e) {
      Log.warnf("invalid BuilderConfigured, dead-lettered: %s", e.getMessage());
      return Uni.createFrom().completionStage(message.nack(e));
    }
    Log.infof(
        "BuilderConfigured received buildId=%s outcome=%s serverId=%d",
        event.buildId(), event.outcome(), event.serverId());
    Uni<BuildRun> flow =
        event.outcome() == BuilderConfigured.Outcome.OK
            ? flows.snapshot(event)
            : flows.discard(event);
    start(event.buildId(), message, flow);
    return Uni.createFrom().voidItem();
  }

  /**
   * Runs a flow in the background and acks its message at the end. A flow that could not even
   * publish its outcome leaves the message unacked: it stays uncommitted and is redelivered after a
   * restart, when the flow resumes idempotently.
   */
  private void start(UUID buildId, Message<String> message, Uni<BuildRun> flow) {
    flow.subscribe()
        .with(
            run -> {
              MDC.put("buildId", buildId.toString());
              try {
                Log.infof(
                    "flow ended buildId=%s halted=%s skipped=%s",
                    buildId, run.halted(), run.skipped());
              } finally {
                MDC.remove("buildId");
              }
              message.ack();
            },
            failure ->
                Log.errorf(
                    failure,
                    "flow could not finish, message left unacked for redelivery buildId=%s",
                    buildId));
  }
}
