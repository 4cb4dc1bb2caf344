package dev.goldsmith.provisioner.janitor;

import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;

import dev.goldsmith.events.BuildFailed;
import dev.goldsmith.events.ImagePromoted;
import dev.goldsmith.events.VerificationFinished;
import dev.goldsmith.provisioner.config.ProvisionerConfig;
import dev.goldsmith.support.messaging.EventConsumer;

/**
 * The janitor's consumer (group {@code goldsmith-janitor}): BuildFailed, ImagePromoted and
 * VerificationFinished with a terminal verdict mark a build terminal, and its leftovers are reaped
 * at once. Through the shared consumer policy ({@link EventConsumer}): poison is dead-lettered, the
 * record acked after the reap attempt; a failed reap is retried by the next sweep.
 */
@ApplicationScoped
public class JanitorConsumer {
  private final TerminalBuilds terminal;
  private final Janitor janitor;
  private final ProvisionerConfig config;
  private final EventConsumer consumer;

  public JanitorConsumer(
      TerminalBuilds terminal, Janitor janitor, ProvisionerConfig config, EventConsumer consumer) {
    this.consumer = consumer;
    this.terminal = terminal;
    this.janitor = janitor;
    this.config = config;
  }

  @Incoming("janitor-build-failed")
  public Uni<Void> onBuildFailed(Message<String> message) {
    return consumer.handle(
        message, BuildFailed.class, event -> terminal(event.buildId(), "build_failed"));
  }

  @Incoming("janitor-image-promoted")
  public Uni<Void> onImagePromoted(Message<String> message) {
    return consumer.handle(
        message, ImagePromoted.class, event -> terminal(event.buildId(), "image_promoted"));
  }

  @Incoming("janitor-image-verified")
  public Uni<Void> onVerificationFinished(Message<String> message) {
    return consumer.handle(
        message,
        VerificationFinished.class,
        event ->
            config.janitor().terminalVerdicts().contains(event.verdict())
                ? terminal(event.buildId(), "verification_" + event.verdict().name().toLowerCase())
                : Uni.createFrom().voidItem());
  }

  private Uni<Void> terminal(UUID buildId, String why) {
    terminal.add(buildId, why);
    Log.infof("build terminal buildId=%s why=%s", buildId, why);
    if (!config.janitor().enabled()) {
      return Uni.createFrom().voidItem();
    }
    return janitor
        .reapBuild(buildId)
        .onFailure()
        .recoverWithItem(
            e -> {
              Log.warnf(
                  "janitor reap failed buildId=%s, the sweep retries: %s", buildId, e.getMessage());
              return java.util.List.of();
            })
        .replaceWithVoid();
  }
}
