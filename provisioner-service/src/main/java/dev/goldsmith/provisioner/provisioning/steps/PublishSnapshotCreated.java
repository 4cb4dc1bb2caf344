package dev.goldsmith.provisioner.provisioning.steps;

import java.time.Clock;

import io.smallrye.mutiny.Uni;

import dev.goldsmith.events.SnapshotCreated;
import dev.goldsmith.hcloud.model.Image;
import dev.goldsmith.provisioner.provisioning.BuildRun;
import dev.goldsmith.provisioner.provisioning.EventSink;
import dev.goldsmith.provisioner.provisioning.Step;
import dev.goldsmith.provisioner.provisioning.StepOutcome;

/** Publishes SnapshotCreated with the image's id and size and the run's provenance. */
public final class PublishSnapshotCreated implements Step {
  private final EventSink sink;
  private final Clock clock;

  public PublishSnapshotCreated(EventSink sink, Clock clock) {
    this.sink = sink;
    this.clock = clock;
  }

  @Override
  public String name() {
    return "publish-snapshot-created";
  }

  @Override
  public Uni<StepOutcome> run(BuildRun run) {
    Image image = run.image().orElseThrow();
    return sink.publish(
            new SnapshotCreated(
                run.buildId(),
                run.spec(),
                image.id(),
                image.imageSize(),
                run.provenance(),
                clock.instant()))
        .replaceWith(StepOutcome.proceed());
  }
}
