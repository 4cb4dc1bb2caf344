package dev.goldsmith.support.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.record.TimestampType;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.Metadata;
import org.jboss.logging.MDC;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.TracingMetadata;
import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordMetadata;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;

import dev.goldsmith.events.BuildFailed;
import dev.goldsmith.events.FailureClass;
import dev.goldsmith.events.InvalidEventException;
import dev.goldsmith.events.KafkaEvents;
import dev.goldsmith.support.tracing.BuildTraces;

class ConsumerPolicyTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
  private final ConsumerHealth health = new ConsumerHealth();
  private final ConsumerPolicy policy =
      new ConsumerPolicy(
          new Backoff(Duration.ofMillis(10), Duration.ofMillis(40), 2, 0), health, () -> scheduler);
  private final UUID build = UUID.randomUUID();
  private final Tracked tracked = new Tracked();

  @AfterEach
  void stopScheduler() {
    scheduler.shutdownNow();
  }

  @Test
  void theHandlerRunsInTheRecordsTraceAndEventsSentLaterOnAnyThreadStayInIt() throws Exception {
    SdkTracerProvider provider = SdkTracerProvider.builder().build();
    BuildTraces traces =
        new BuildTraces(OpenTelemetrySdk.builder().setTracerProvider(provider).build());
    ConsumerPolicy traced =
        new ConsumerPolicy(
            new Backoff(Duration.ofMillis(10), Duration.ofMillis(40), 2, 0),
            health,
            () -> scheduler,
            traces);
    String traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
    ConsumerRecord<String, String> record = valid();
    record.headers().add("traceparent", ("00-" + traceId + "-00f067aa0ba902b7-01").getBytes());
    List<String> seen = new CopyOnWriteArrayList<>();
    AtomicReference<Message<String>> later = new AtomicReference<>();
    traced
        .handle(
            tracked.message(record),
            BuildFailed.class,
            e -> {
              seen.add(Span.current().getSpanContext().getTraceId());
              // Sent from another thread, with nothing current there: still the build's trace.
              Thread t =
                  new Thread(
                      () -> later.set(traces.traced(Message.of("out"), e.buildId().toString())));
              t.start();
              try {
                t.join();
              } catch (InterruptedException ex) {
                throw new IllegalStateException(ex);
              }
              return Uni.createFrom().voidItem();
            })
        .await()
        .atMost(WAIT);
    assertThat(seen).containsExactly(traceId);
    assertThat(Span.current().getSpanContext().isValid()).isFalse();
    Context sent = TracingMetadata.fromMessage(later.get()).orElseThrow().getCurrentContext();
    assertThat(Span.fromContext(sent).getSpanContext().getTraceId()).isEqualTo(traceId);
    assertThat(traces.traceparent(build.toString()).flatMap(BuildTraces::traceId))
        .contains(traceId);
    // A record of another build without any trace context starts a trace of its own.
    assertThat(traces.traceparent(UUID.randomUUID().toString())).isEmpty();
    provider.close();
  }

  @Test
  void aHandledRecordIsAckedWithTheBuildIdInMdc() {
    List<Object> seen = new CopyOnWriteArrayList<>();
    policy
        .handle(
            tracked.message(valid()),
            BuildFailed.class,
            e -> {
              seen.add(MDC.get(BuildMdc.KEY));
              seen.add(e.reasonClass());
              return Uni.createFrom().voidItem();
            })
        .await()
        .atMost(WAIT);
    assertThat(seen).containsExactly(build.toString(), FailureClass.TIMEOUT);
    assertThat(MDC.get(BuildMdc.KEY)).isNull();
    assertThat(tracked.acks.get()).isEqualTo(1);
    assertThat(tracked.nacks).isEmpty();
  }

  @Test
  void anUndecodableRecordIsNackedWithItsReasonAndNeverHandled() {
    AtomicInteger calls = new AtomicInteger();
    policy
        .handle(
            tracked.message(record("{\"buildId\":42}")),
            BuildFailed.class,
            e -> {
              calls.incrementAndGet();
              return Uni.createFrom().voidItem();
            })
        .await()
        .atMost(WAIT);
    assertThat(calls).hasValue(0);
    assertThat(tracked.acks).hasValue(0);
    assertThat(tracked.nacks).singleElement().isInstanceOf(InvalidEventException.class);
    assertThat(tracked.reasonHeader).startsWith("InvalidEventException: ");
    assertThat(health.up()).isTrue();
  }

  @Test
  void aTransientFailureIsRetriedInPlaceWithHealthDownUntilItPasses() {
    AtomicInteger calls = new AtomicInteger();
    List<Boolean> upDuringAttempts = new CopyOnWriteArrayList<>();
    List<String> mdc = new CopyOnWriteArrayList<>();
    policy
        .handle(
            tracked.message(valid()),
            BuildFailed.class,
            e -> {
              upDuringAttempts.add(health.up());
              mdc.add(String.valueOf(MDC.get(BuildMdc.KEY)));
              if (calls.incrementAndGet() <= 3) {
                return Uni.createFrom()
                    .failure(new SQLTransientConnectionException("Connection refused"));
              }
              return Uni.createFrom().voidItem();
            })
        .await()
        .atMost(WAIT);
    assertThat(calls).hasValue(4);
    assertThat(upDuringAttempts).containsExactly(true, false, false, false);
    assertThat(mdc).containsOnly(build.toString());
    assertThat(tracked.acks).hasValue(1);
    assertThat(tracked.nacks).isEmpty();
    assertThat(health.up()).isTrue();
  }

  @Test
  void whileRetryingTheHealthCheckNamesTheRecordAndDependency() throws Exception {
    CompletableFuture<Void> release = new CompletableFuture<>();
    AtomicInteger calls = new AtomicInteger();
    CompletableFuture<Void> done =
        policy
            .handle(
                tracked.message(valid()),
                BuildFailed.class,
                e ->
                    release.isDone()
                        ? Uni.createFrom().voidItem()
                        : Uni.createFrom()
                            .failure(
                                new org.apache.kafka.common.errors.TimeoutException(
                                    "broker gone " + calls.incrementAndGet())))
            .subscribeAsCompletionStage();
    org.awaitility.Awaitility.await().atMost(WAIT).until(() -> calls.get() >= 3);
    var response = health.call();
    assertThat(response.getStatus().name()).isEqualTo("DOWN");
    assertThat(response.getData().orElseThrow().toString())
        .contains("t-2@7")
        .contains("broker failing for");
    release.complete(null);
    done.get(10, TimeUnit.SECONDS);
    assertThat(health.call().getStatus().name()).isEqualTo("UP");
    assertThat(tracked.acks).hasValue(1);
  }

  @Test
  void anUnexpectedFailureIsRetriedTooNeverDeadLettered() {
    AtomicInteger calls = new AtomicInteger();
    policy
        .handle(
            tracked.message(valid()),
            BuildFailed.class,
            e -> {
              if (calls.incrementAndGet() <= 2) {
                throw new IllegalStateException("bug");
              }
              return Uni.createFrom().voidItem();
            })
        .await()
        .atMost(WAIT);
    assertThat(calls).hasValue(3);
    assertThat(tracked.acks).hasValue(1);
    assertThat(tracked.nacks).isEmpty();
  }

  @Test
  void aPoisonExceptionFromTheHandlerIsDeadLettered() {
    policy
        .handleRaw(
            tracked.message(valid()),
            m -> Uni.createFrom().failure(new PoisonException("event on the wrong topic")))
        .await()
        .atMost(WAIT);
    assertThat(tracked.nacks).singleElement().isInstanceOf(PoisonException.class);
    assertThat(tracked.reasonHeader).isEqualTo("PoisonException: event on the wrong topic");
  }

  @Test
  void onStopAWaitingRecordIsHandedBackNeitherAckedNorNacked() {
    AtomicInteger calls = new AtomicInteger();
    CompletableFuture<Void> done =
        policy
            .handle(
                tracked.message(valid()),
                BuildFailed.class,
                e -> {
                  calls.incrementAndGet();
                  return Uni.createFrom()
                      .failure(new java.io.UncheckedIOException(new java.io.IOException("disk")));
                })
            .subscribeAsCompletionStage();
    org.awaitility.Awaitility.await().atMost(WAIT).until(() -> calls.get() >= 2);
    policy.stop();
    org.awaitility.Awaitility.await().atMost(WAIT).until(done::isDone);
    assertThat(done).isNotCompletedExceptionally();
    assertThat(tracked.acks).hasValue(0);
    assertThat(tracked.nacks).isEmpty();
    assertThat(health.up()).isTrue();
  }

  @Test
  void blockingWorkIsRetriedOnTheCallingThread() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    List<Thread> threads = new CopyOnWriteArrayList<>();
    policy
        .handleBlocking(
            tracked.message(valid()),
            BuildFailed.class,
            e -> {
              threads.add(Thread.currentThread());
              if (calls.incrementAndGet() <= 2) {
                throw new org.apache.kafka.common.errors.NotLeaderOrFollowerException("moving");
              }
            })
        .toCompletableFuture()
        .get(10, TimeUnit.SECONDS);
    assertThat(calls).hasValue(3);
    assertThat(threads).containsOnly(Thread.currentThread());
    assertThat(tracked.acks).hasValue(1);
    assertThat(tracked.nacks).isEmpty();
  }

  @Test
  void blockingPoisonIsDeadLettered() throws Exception {
    policy
        .handleBlocking(tracked.message(record("not json")), BuildFailed.class, e -> {})
        .toCompletableFuture()
        .get(10, TimeUnit.SECONDS);
    assertThat(tracked.acks).hasValue(0);
    assertThat(tracked.nacks).singleElement().isInstanceOf(InvalidEventException.class);
  }

  @Test
  void blockingWorkStopsWaitingOnStop() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    CompletableFuture<Void> done =
        CompletableFuture.supplyAsync(
                () ->
                    policy.handleBlocking(
                        tracked.message(valid()),
                        BuildFailed.class,
                        e -> {
                          calls.incrementAndGet();
                          throw new IllegalStateException("still broken");
                        }))
            .thenCompose(stage -> stage);
    org.awaitility.Awaitility.await().atMost(WAIT).until(() -> calls.get() >= 2);
    policy.stop();
    done.get(10, TimeUnit.SECONDS);
    assertThat(tracked.acks).hasValue(0);
    assertThat(tracked.nacks).isEmpty();
    assertThat(health.up()).isTrue();
  }

  private ConsumerRecord<String, String> valid() {
    ProducerRecord<String, String> r =
        KafkaEvents.toRecord(
            new BuildFailed(
                build,
                "base",
                "v1",
                BuildFailed.Stage.PROVISION,
                FailureClass.TIMEOUT,
                "m",
                List.of(),
                Instant.now()),
            "/test");
    return consumerRecord(r.headers(), r.value());
  }

  private ConsumerRecord<String, String> record(String value) {
    ProducerRecord<String, String> r =
        KafkaEvents.toRecord(
            new BuildFailed(
                build,
                "b",
                "v",
                BuildFailed.Stage.PROVISION,
                FailureClass.TIMEOUT,
                "m",
                List.of(),
                Instant.now()),
            "/test");
    return consumerRecord(r.headers(), value);
  }

  private ConsumerRecord<String, String> consumerRecord(Headers headers, String value) {
    return new ConsumerRecord<>(
        "t",
        2,
        7,
        0L,
        TimestampType.CREATE_TIME,
        -1,
        -1,
        build.toString(),
        value,
        headers,
        Optional.empty());
  }

  /** Counts acks and nacks of the messages it makes. */
  static final class Tracked {
    final AtomicInteger acks = new AtomicInteger();
    final List<Throwable> nacks = new CopyOnWriteArrayList<>();
    volatile String reasonHeader;

    @SuppressWarnings({"rawtypes", "unchecked"})
    Message<String> message(ConsumerRecord<String, String> record) {
      return Message.of(record.value(), Metadata.of(new IncomingKafkaRecordMetadata(record, "in")))
          .withAck(
              () -> {
                acks.incrementAndGet();
                return CompletableFuture.completedFuture(null);
              })
          .withNackWithMetadata(
              (t, md) -> {
                nacks.add(t);
                md.get(OutgoingKafkaRecordMetadata.class)
                    .map(o -> ((OutgoingKafkaRecordMetadata) o).getHeaders())
                    .map(h -> ((Headers) h).lastHeader(DeadLetterHeaders.REASON_SUMMARY))
                    .ifPresent(
                        h ->
                            reasonHeader =
                                new String(
                                    ((org.apache.kafka.common.header.Header) h).value(),
                                    StandardCharsets.UTF_8));
                return CompletableFuture.completedFuture(null);
              });
    }
  }
}
