package dev.goldsmith.verifier.messaging;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.interceptor.Interceptor;

import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;

import dev.goldsmith.events.BuildSpec;
import dev.goldsmith.events.Digests;
import dev.goldsmith.events.Provenance;
import dev.goldsmith.events.SnapshotCreated;
import dev.goldsmith.events.VerificationFinished;
import dev.goldsmith.events.messaging.EventMessages;
import dev.goldsmith.support.messaging.BuildMdc;
import dev.goldsmith.support.messaging.EventConsumer;
import dev.goldsmith.support.tracing.BuildTraces;
import dev.goldsmith.verifier.config.VerifierConfig;
import dev.goldsmith.verifier.service.VerificationService;
import dev.goldsmith.verifier.verification.VerificationOutcome;
import dev.goldsmith.verifier.verification.VerificationRequest;

/**
 * SnapshotCreated in, VerificationFinished out, under the shared consumer policy ({@link
 * EventConsumer}): an unreadable record is dead-lettered with its reason; a failure of a dependency
 * (the broker publishing the verdict, the cloud API creating a test server) is waited out in place,
 * never dead-lettered and never a verdict. Verifications run on a bounded worker pool, never on the
 * consumer thread; the record is acknowledged only after the verdict is published.
 *
 * <p>Duplicates are harmless by construction: a verdict's CloudEvents id is derived from build and
 * image ({@link #verdictId}), so a verdict published again (a redelivery after a restart, a
 * re-drive by the registry's watchdog) carries the id of the first, and the registry records one
 * verdict per id and acts on the first verdict of a build only. The verdicts this process published
 * are kept in a bounded memory ({@link VerdictMemory}) so a redelivery to the same process is
 * answered without a second test server.
 */
@ApplicationScoped
public class SnapshotCreatedConsumer {

  static final String SOURCE = "/goldsmith/verifier";
  private static final AtomicInteger THREADS = new AtomicInteger();

  private final EventConsumer consumer;
  private final VerificationService service;
  private final VerifierConfig config;
  private final MutinyEmitter<String> finished;
  private final VerdictMemory memory;
  private final ExecutorService workers;
  private final BuildTraces traces;

  public SnapshotCreatedConsumer(
      EventConsumer consumer,
      VerificationService service,
      VerifierConfig config,
      MutinyEmitter<String> finished) {
    this(consumer, service, config, finished, BuildTraces.noop());
  }

  @Inject
  public SnapshotCreatedConsumer(
      EventConsumer consumer,
      VerificationService service,
      VerifierConfig config,
      @Channel("verification-finished") MutinyEmitter<String> finished,
      BuildTraces traces) {
    this.traces = traces;
    this.consumer = consumer;
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

  /**
   * SIGTERM: running verifications get {@code shutdown-grace} to finish (and publish); the others
   * are interrupted, delete their test server and end without a verdict; their records are handed
   * back un-acked by the consumer policy (stopped before this observer runs) and redelivered.
   */
  void onShutdown(@Observes @Priority(Interceptor.Priority.APPLICATION + 600) ShutdownEvent event) {
    workers.shutdown();
    try {
      Duration grace = config.shutdownGrace();
      if (!workers.awaitTermination(grace.toMillis(), TimeUnit.MILLISECONDS)) {
        Log.infof(
            "shutdown: verifications still running after %d s are interrupted and handed back",
            grace.toSeconds());
        workers.shutdownNow();
        // Interrupted runs delete their servers before they end.
        workers.awaitTermination(
            config.server().deleteTimeout().toMillis() + 5_000, TimeUnit.MILLISECONDS);
      }
    } catch (InterruptedException e) {
      workers.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Forgets the verdicts this process reached, as a restart does (tests use it to show that a
   * redelivery after a restart is harmless).
   */
  public void forgetVerdicts() {
    memory.clear();
  }

  @Incoming("snapshot-created")
  public Uni<Void> consume(Message<String> message) {
    return consumer.handle(message, SnapshotCreated.class, this::verifyAndPublish);
  }

  Uni<Void> verifyAndPublish(SnapshotCreated event) {
    VerdictMemory.Key key = new VerdictMemory.Key(event.buildId(), event.imageId());
    Uni<VerificationFinished> verdict =
        memory
            .finished(key)
            .map(
                v -> {
                  Log.infof(
                      "redelivered SnapshotCreated buildId=%s imageId=%d: publishing the"
                          + " remembered verdict %s again",
                      event.buildId(), event.imageId(), v.verdict());
                  return Uni.createFrom().item(v);
                })
            .orElseGet(
                () ->
                    Uni.createFrom()
                        // on a worker: MDC buildId and the build's trace go along
                        .item(
                            () -> {
                              String id = event.buildId().toString();
                              Span span = traces.span("verify image", id, SpanKind.INTERNAL);
                              try {
                                return BuildMdc.call(
                                    id, () -> BuildTraces.inSpan(span, () -> run(event)));
                              } finally {
                                span.end();
                              }
                            })
                        .runSubscriptionOn(workers)
                        // Remembered before publishing: a publish retried in place does not
                        // verify again.
                        .invoke(v -> memory.done(key, v)));
    return verdict.chain(this::publish);
  }

  private Uni<Void> publish(VerificationFinished out) {
    return finished.sendMessage(
        traces.traced(
            EventMessages.toMessage(
                out, SOURCE, verdictId(out.buildId(), out.imageId()).toString(), null),
            out.buildId().toString()));
  }

  /**
   * The CloudEvents id of the verdict on {@code imageId} of {@code buildId}: the same for every
   * verification of it, in every process, so the registry takes one of them only.
   */
  public static UUID verdictId(UUID buildId, long imageId) {
    return UUID.nameUUIDFromBytes(
        ("goldsmith/verifier/verification-finished/" + buildId + "/" + imageId)
            .getBytes(StandardCharsets.UTF_8));
  }

  VerificationFinished run(SnapshotCreated event) {
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
    VerificationOutcome o;
    try {
      o = service.verify(req);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new VerificationInterruptedException(
          "verification of buildId=" + event.buildId() + " interrupted (shutdown): no verdict", e);
    }
    return new VerificationFinished(
        event.buildId(),
        spec,
        event.imageId(),
        o.verdict(),
        o.addressFamily(),
        o.report(),
        Math.max(1, o.attempts()),
        // The snapshot's provenance, plus the digest of exactly the report sent here.
        Provenance.withReportSha256(event.provenance(), Digests.sha256OfJson(o.report())),
        Instant.now());
  }

  /** A verification ended by shutdown: the record is handed back, never settled. */
  static final class VerificationInterruptedException extends RuntimeException {
    VerificationInterruptedException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /** A valid hostname: {@code <prefix>-<family>-<first 8 of build id>}, at most 63 characters. */
  static String serverName(String prefix, String family, String buildId) {
    String name = (prefix + "-" + family + "-" + buildId.substring(0, 8)).toLowerCase(Locale.ROOT);
    name = name.replaceAll("[^a-z0-9-]", "-");
    return name.length() > 60 ? name.substring(0, 60) : name;
  }
}
