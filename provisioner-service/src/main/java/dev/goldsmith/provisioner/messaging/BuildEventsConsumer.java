package dev.goldsmith.provisioner.messaging;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;

import dev.goldsmith.events.BuildAccepted;
import dev.goldsmith.events.BuilderConfigured;
import dev.goldsmith.provisioner.provisioning.BuildFlows;
import dev.goldsmith.provisioner.provisioning.BuildRun;
import dev.goldsmith.support.messaging.BuildMdc;
import dev.goldsmith.support.messaging.EventConsumer;

/**
 * Kafka adapter of the provisioner: hands BuildAccepted and BuilderConfigured to the shared
 * consumer policy ({@link EventConsumer}) and starts the matching flow in the background, so the
 * consumer goes on with other builds while one waits minutes for the cloud. The policy acks a
 * record once its flow has ended and its outcome event (BuilderReady, SnapshotCreated or
 * BuildFailed) is on the broker; until then the throttled commit strategy keeps its offset
 * uncommitted. Poison is dead-lettered with its reason; a flow that could not finish (a transient
 * cloud or broker failure, its outcome not published) is retried in place with backoff and resumes
 * from the resources it finds by label; on shutdown the record is handed back un-acked.
 */
@ApplicationScoped
public class BuildEventsConsumer {
  private final BuildFlows flows;
  private final EventConsumer consumer;

  public BuildEventsConsumer(BuildFlows flows, EventConsumer consumer) {
    this.flows = flows;
    this.consumer = consumer;
  }

  @Incoming("build-accepted")
  public Uni<Void> onBuildAccepted(Message<String> message) {
    background(
        consumer.handle(
            message,
            BuildAccepted.class,
            event -> {
              Log.infof(
                  "BuildAccepted received buildId=%s family=%s",
                  event.buildId(), event.spec().family());
              return ended(flows.provision(event));
            }));
    return Uni.createFrom().voidItem();
  }

  @Incoming("builder-configured")
  public Uni<Void> onBuilderConfigured(Message<String> message) {
    background(
        consumer.handle(
            message,
            BuilderConfigured.class,
            event -> {
              Log.infof(
                  "BuilderConfigured received buildId=%s outcome=%s serverId=%d",
                  event.buildId(), event.outcome(), event.serverId());
              return ended(
                  event.outcome() == BuilderConfigured.Outcome.OK
                      ? flows.snapshot(event)
                      : flows.discard(event));
            }));
    return Uni.createFrom().voidItem();
  }

  private static Uni<Void> ended(Uni<BuildRun> flow) {
    return flow.invoke(
            run ->
                BuildMdc.run(
                    run.buildId().toString(),
                    () ->
                        Log.infof(
                            "flow ended buildId=%s halted=%s skipped=%s",
                            run.buildId(), run.halted(), run.skipped())))
        .replaceWithVoid();
  }

  /** The policy settles the record itself; this only keeps the handler from waiting. */
  private static void background(Uni<Void> settled) {
    settled
        .subscribe()
        .with(
            ignored -> {},
            e -> Log.errorf(e, "record could not be settled, it stays un-acked for redelivery"));
  }
}
