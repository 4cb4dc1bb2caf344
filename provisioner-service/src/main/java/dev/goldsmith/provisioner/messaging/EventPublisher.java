package dev.goldsmith.provisioner.messaging;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.reactive.messaging.Channel;

import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;

import dev.goldsmith.events.BuildFailed;
import dev.goldsmith.events.BuilderReady;
import dev.goldsmith.events.PipelineEvent;
import dev.goldsmith.events.SnapshotCreated;
import dev.goldsmith.events.messaging.EventMessages;
import dev.goldsmith.provisioner.provisioning.EventSink;
import dev.goldsmith.support.messaging.BuildMdc;
import dev.goldsmith.support.tracing.BuildTraces;

/** Sends the provisioner's events; each completes once the broker acknowledged it (acks=all). */
@ApplicationScoped
public class EventPublisher implements EventSink {
  static final String SOURCE = "/goldsmith/provisioner";

  private final MutinyEmitter<String> builderReady;
  private final MutinyEmitter<String> snapshotCreated;
  private final MutinyEmitter<String> buildFailed;
  private final BuildTraces traces;

  public EventPublisher(
      BuildTraces traces,
      @Channel("builder-ready") MutinyEmitter<String> builderReady,
      @Channel("snapshot-created") MutinyEmitter<String> snapshotCreated,
      @Channel("build-failed-out") MutinyEmitter<String> buildFailed) {
    this.builderReady = builderReady;
    this.snapshotCreated = snapshotCreated;
    this.buildFailed = buildFailed;
    this.traces = traces;
  }

  @Override
  public Uni<Void> publish(PipelineEvent event) {
    MutinyEmitter<String> emitter;
    if (event instanceof BuilderReady) {
      emitter = builderReady;
    } else if (event instanceof SnapshotCreated) {
      emitter = snapshotCreated;
    } else if (event instanceof BuildFailed) {
      emitter = buildFailed;
    } else {
      return Uni.createFrom()
          .failure(
              new IllegalArgumentException("the provisioner does not publish " + event.type()));
    }
    return emitter
        // in the build's trace, whichever thread the flow publishes from
        .sendMessage(
            traces.traced(EventMessages.toMessage(event, SOURCE), event.buildId().toString()))
        .invoke(
            // the broker's answer may come on the producer's thread: the build id goes along
            () ->
                BuildMdc.run(
                    event.buildId().toString(),
                    () ->
                        Log.infof(
                            "event published type=%s buildId=%s",
                            event.type().ceType(), event.buildId())));
  }
}
