package dev.goldsmith.provisioner.janitor;

import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;

import dev.goldsmith.events.BuildFailed;
import dev.goldsmith.events.ImagePromoted;
import dev.goldsmith.events.InvalidEventException;
import dev.goldsmith.events.VerificationFinished;
import dev.goldsmith.events.messaging.EventMessages;
import dev.goldsmith.provisioner.config.ProvisionerConfig;

/**
 * The janitor's consumer (group {@code goldsmith-janitor}): BuildFailed, ImagePromoted and
 * VerificationFinished with a terminal verdict mark a build terminal, and its leftovers are reaped
 * at once. Acked after the reap attempt; a failed reap is retried by the next sweep.
 */
@ApplicationScoped
public class JanitorConsumer {
  private final TerminalBuilds terminal;
  private final Janitor janitor;
  private final ProvisionerConfig config;

  public JanitorConsumer(TerminalBuilds terminal, Janitor janitor, ProvisionerConfig config) {
    this.terminal = terminal;
    this.janitor = janitor;
    this.config = config;
  }

  @Incoming("janitor-build-failed")
  public Uni<Void> onBuildFailed(Message<String> message) {
    try {
      BuildFailed event = EventMessages.decode(message, BuildFailed.class);
      return terminal(event.buildId(), "build_failed", message);
    } catch (InvalidEventException e) {
      return Uni.createFrom().completionStage(message.nack(e));
    }
  }

  @Incoming("janitor-image-promoted")
  public Uni<Void> onImagePromoted(Message<String> message) {
    try {
      ImagePromoted event = EventMessages.decode(message, ImagePromoted.class);
      return terminal(event.buildId(), "image_promoted", message);
    } catch (InvalidEventException e) {
      return Uni.createFrom().completionStage(message.nack(e));
    }
  }

  @Incoming("janitor-image-verified")
  public Uni<Void> onVerificationFinished(Message<String> message) {
    try {
      VerificationFinished event = EventMessages.decode(message, VerificationFinished.class);
      if (!config.janitor().terminalVerdicts().contains(event.verdict())) {
        return Uni.createFrom().completionStage(message.ack());
      }
      return terminal(
          event.buildId(), "verification_" + event.verdict().name().toLowerCase(), message);
    } catch (InvalidEventException e) {
      return Uni.createFrom().completionStage(message.nack(e));
    }
  }

  private Uni<Void> terminal(UUID buildId, String why, Message<String> message) {
    terminal.add(buildId, why);
    Log.infof("build terminal buildId=%s why=%s", buildId, why);
    if (!config.janitor().enabled()) {
      return Uni.createFrom().completionStage(message.ack());
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
        .chain(() -> Uni.createFrom().completionStage(message.ack()));
  }
}
