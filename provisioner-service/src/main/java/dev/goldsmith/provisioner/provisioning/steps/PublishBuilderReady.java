package dev.goldsmith.provisioner.provisioning.steps;

import java.time.Clock;

import io.smallrye.mutiny.Uni;

import dev.goldsmith.events.BuilderReady;
import dev.goldsmith.hcloud.model.Server;
import dev.goldsmith.provisioner.provisioning.BuildRun;
import dev.goldsmith.provisioner.provisioning.EventSink;
import dev.goldsmith.provisioner.provisioning.Step;
import dev.goldsmith.provisioner.provisioning.StepOutcome;

/**
 * Publishes BuilderReady with the builder's IPv4, the {@code ::1} of its IPv6 /64 and the public
 * host key it was created with.
 */
public final class PublishBuilderReady implements Step {
  private final EventSink sink;
  private final Clock clock;

  public PublishBuilderReady(EventSink sink, Clock clock) {
    this.sink = sink;
    this.clock = clock;
  }

  @Override
  public String name() {
    return "publish-builder-ready";
  }

  @Override
  public Uni<StepOutcome> run(BuildRun run) {
    Server server = run.server().orElseThrow();
    BuilderReady event =
        new BuilderReady(
            run.buildId(),
            run.spec(),
            server.id(),
            server.ipv4Address().orElse(null),
            server.ipv6HostAddress().orElse(null),
            run.hostKey().orElseThrow(() -> new IllegalStateException("no host key recorded")),
            clock.instant());
    return sink.publish(event).replaceWith(StepOutcome.proceed());
  }
}
