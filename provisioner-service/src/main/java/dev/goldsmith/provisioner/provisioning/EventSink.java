package dev.goldsmith.provisioner.provisioning;

import io.smallrye.mutiny.Uni;

import dev.goldsmith.events.PipelineEvent;

/** Where steps publish events; completes once the broker has the event. */
@FunctionalInterface
public interface EventSink {
  Uni<Void> publish(PipelineEvent event);
}
