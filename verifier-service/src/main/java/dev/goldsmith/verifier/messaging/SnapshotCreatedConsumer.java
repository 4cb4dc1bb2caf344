package dev.goldsmith.verifier.messaging;

import java.time.Instant;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.MDC;

import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;

import dev.goldsmith.events.BuildSpec;
import dev.goldsmith.events.InvalidEventException;
import dev.goldsmith.events.SnapshotCreated;
import dev.goldsmith.events.VerificationFinished;
import dev.goldsmith.events.messaging.EventMessages;
import dev.goldsmith.verifier.config.VerifierConfig;
import dev.goldsmith.verifier.service.VerificationService;
import dev.goldsmith.verifier.verification.VerificationOutcome;
import dev.goldsmith.verifier.verification.VerificationRequest;

/**
 * SnapshotCreated in, VerificationFinished out. Verifications run on a bounded worker pool, never
 * on the consumer thread; the record is acknowledged only after the verdict is published, so a
 * crash means redelivery (and a fresh verification, after deleting leftovers).
 */
@ApplicationScoped
public class SnapshotCreatedConsumer {

  static final String SOURCE = "/goldsmith/verifier";
  private static final AtomicInteger THREADS = new AtomicInteger();

  private final VerificationService service;
  private final VerifierConfig config;
  private final MutinyEmitter<String> finished;
  private final VerdictMemory memory;
  private final ExecutorService workers;

  @Inject
  public SnapshotCreatedConsumer(
      VerificationService service,
      VerifierConfig config,
      @Channel("verification-finished") MutinyEmitter<String> finished) {
    this.service = service;
    this.config = config;
    this.finished = finished;
    this.memory = new VerdictMemory(config.verdictMemory());
    this.workers =
        Executors.newFixedThreadPool(
            Math.max(1, config.maxConcurrent()),
            r -> {
              Thread t = new Thread(r, "verifier-worker-" + THREADS.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
  }

  @PreDestroy
  void stop() {
    workers.shutdownNow();
  }

  @Incoming("snapshot-created")
  public Uni<Void> consume(Message<String> message) {
    SnapshotCreated event;
    try {
      event = EventMessages.decode(message, SnapshotCreated.class);
    } catch (InvalidEventException e) {
      Log.warnf("invalid SnapshotCreated parked on the dead-letter topic: %s", e.getMessage());
      return Uni.createFrom().completionStage(message.nack(e));
    }
    VerdictMemory.Key key = new VerdictMemory.Key(event.buildId(), event.imageId());
    var remembered = memory.finished(key);
    if (remembered.isPresent()) {
      Log.infof(
          "redelivered SnapshotCreated buildId=%s imageId=%d: publishing the remembered verdict %s",
          event.buildId(), event.imageId(), remembered.get().verdict());
      return publish(remembered.get())
          .onItemOrFailure()
          .transformToUni((v, f) -> settle(message, f));
    }
    if (!memory.start(key)) {
      Log.infof(
          "redelivered SnapshotCreated buildId=%s imageId=%d: verification already running",
          event.buildId(), event.imageId());
      return Uni.createFrom().completionStage(message.ack());
    }
    return Uni.createFrom()
        .item(() -> run(event))
        .runSubscriptionOn(workers)
        .onItem()
        .transformToUni(out -> publish(out).onItem().invoke(() -> memory.done(key, out)))
        .onItemOrFailure()
        .transformToUni(
            (v, f) -> {
              if (f != null) {
                memory.abandon(key);
              }
              return settle(message, f);
            });
  }

  private Uni<Void> settle(Message<String> message, Throwable failure) {
    if (failure != null) {
      Log.errorf(failure, "verification could not be published; the record will be redelivered");
      return Uni.createFrom().completionStage(message.nack(failure));
    }
    return Uni.createFrom().completionStage(message.ack());
  }

  private Uni<Void> publish(VerificationFinished out) {
    return finished.sendMessage(EventMessages.toMessage(out, SOURCE));
  }

  VerificationFinished run(SnapshotCreated event) {
    MDC.put("buildId", event.buildId().toString());
    try {
      BuildSpec spec = event.spec();
      VerificationRequest req =
          new VerificationRequest(
              event.buildId(),
              spec.family(),
              spec.version(),
              event.imageId(),
              config.server().type().orElse(spec.serverType()),
              spec.location(),
              spec.verification(),
              spec.networkMode(),
              serverName(config.server().namePrefix(), spec.family(), event.buildId().toString()),
              spec.installationId());
      VerificationOutcome o = service.verify(req);
      return new VerificationFinished(
          event.buildId(),
          spec,
          event.imageId(),
          o.verdict(),
          o.addressFamily(),
          o.report(),
          Math.max(1, o.attempts()),
          Instant.now());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("verification interrupted (shutdown)", e);
    } finally {
      MDC.remove("buildId");
    }
  }

  /** A valid hostname: {@code <prefix>-<family>-<first 8 of build id>}, at most 63 characters. */
  static String serverName(String prefix, String family, String buildId) {
    String name = (prefix + "-" + family + "-" + buildId.substring(0, 8)).toLowerCase(Locale.ROOT);
    name = name.replaceAll("[^a-z0-9-]", "-");
    return name.length() > 60 ? name.substring(0, 60) : name;
  }
}
