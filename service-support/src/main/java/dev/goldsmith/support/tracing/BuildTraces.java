package dev.goldsmith.support.tracing;

import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.MDC;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.smallrye.reactive.messaging.TracingMetadata;

import dev.goldsmith.events.CloudEventHeaders;
import dev.goldsmith.support.messaging.BuildMdc;

/**
 * One trace per build. The trace starts where the build enters (the registry's intake, or the CI
 * that sent a {@code traceparent}); every service continues it:
 *
 * <ul>
 *   <li>a consumed record's span ({@link #consumed}) is the child of the record's trace context
 *       (the connector's receive span, else its {@code traceparent} header, else {@code
 *       ce_traceparent}); it is remembered as the build's context;
 *   <li>an outgoing event ({@link #traced}) carries the build's context as its parent, so the
 *       connector's producer span and the {@code traceparent} header it writes belong to the same
 *       trace, from whatever thread the event is sent (timers, executors, Vert.x callbacks);
 *   <li>the spans of work inside a build ({@link #span}: Hetzner calls, the playbook, each SSH
 *       check) hang from the current span, else from the build's context.
 * </ul>
 *
 * <p>The build's context is kept in memory for the most recent builds (bounded); a build whose
 * context was forgotten (a restart) gets it back with its next record. Thread-safe.
 */
public final class BuildTraces {
  /** The W3C header the Kafka connector writes and reads. */
  public static final String TRACEPARENT = "traceparent";

  /** Span attribute naming the build. */
  public static final String BUILD_ID_ATTRIBUTE = "goldsmith.build_id";

  private static final int REMEMBERED = 10_000;

  private final Tracer tracer;
  private final Map<String, SpanContext> builds =
      Collections.synchronizedMap(
          new LinkedHashMap<>(256, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, SpanContext> eldest) {
              return size() > REMEMBERED;
            }
          });

  private static volatile BuildTraces shared = new BuildTraces(OpenTelemetry.noop());

  public BuildTraces(OpenTelemetry otel) {
    this.tracer = otel.getTracer("dev.goldsmith");
  }

  /**
   * The application's instance (set by {@link TracingProducer}), for code outside CDI (the
   * verifier's checks); a no-op one before it is made.
   */
  public static BuildTraces shared() {
    return shared;
  }

  static void share(BuildTraces traces) {
    shared = traces;
  }

  /** Without tracing (spans are no-ops; contexts still travel in headers read and written). */
  public static BuildTraces noop() {
    return new BuildTraces(OpenTelemetry.noop());
  }

  /**
   * Starts the span of handling {@code message} of {@code buildId} (CONSUMER, named after the
   * topic) as the child of the record's trace context, and remembers it as the build's context. The
   * caller ends it when the record is settled.
   */
  public Span consumed(Message<?> message, Headers headers, String topic, String buildId) {
    Context parent = incoming(message, headers);
    Span span =
        tracer
            .spanBuilder((topic == null || topic.isEmpty() ? "record" : topic) + " process")
            .setParent(parent)
            .setSpanKind(SpanKind.CONSUMER)
            .setAttribute("messaging.system", "kafka")
            .setAttribute("messaging.destination.name", topic == null ? "" : topic)
            .startSpan();
    if (buildId != null) {
      span.setAttribute(BUILD_ID_ATTRIBUTE, buildId);
      remember(buildId, span.getSpanContext().isValid() ? span.getSpanContext() : spanOf(parent));
    }
    return span;
  }

  /** Runs {@code work} with {@code span} current. */
  public static <T> T inSpan(Span span, Supplier<T> work) {
    try (Scope ignored = span.makeCurrent()) {
      return work.get();
    }
  }

  /** The trace context a record arrives with. */
  static Context incoming(Message<?> message, Headers headers) {
    if (message != null) {
      Optional<TracingMetadata> meta = TracingMetadata.fromMessage(message);
      if (meta.isPresent()) {
        Context c = meta.get().getCurrentContext();
        if (c != null && spanOf(c).isValid()) {
          return c;
        }
      }
    }
    Optional<SpanContext> fromHeader =
        header(headers, TRACEPARENT)
            .or(() -> header(headers, CloudEventHeaders.TRACEPARENT))
            .flatMap(BuildTraces::parse);
    return fromHeader.map(sc -> Context.root().with(Span.wrap(sc))).orElse(Context.root());
  }

  /** Remembers {@code context} as the trace of {@code buildId}. */
  public void remember(String buildId, SpanContext context) {
    if (buildId != null && context != null && context.isValid()) {
      builds.put(buildId, context);
    }
  }

  /** The remembered context of {@code buildId}. */
  public Optional<SpanContext> of(String buildId) {
    return buildId == null ? Optional.empty() : Optional.ofNullable(builds.get(buildId));
  }

  /**
   * The parent context for work of {@code buildId}: the current one when it belongs to the build's
   * trace (or the build's trace is unknown), else the build's remembered context.
   */
  public Context parent(String buildId) {
    Context current = Context.current();
    SpanContext now = spanOf(current);
    Optional<SpanContext> build = of(buildId);
    if (build.isEmpty() || (now.isValid() && now.getTraceId().equals(build.get().getTraceId()))) {
      return current;
    }
    return Context.root().with(Span.wrap(build.get()));
  }

  /** As {@link #parent(String)}, the build taken from MDC {@value BuildMdc#KEY}. */
  public Context parent() {
    Object id = MDC.get(BuildMdc.KEY);
    return parent(id == null ? null : id.toString());
  }

  /** Starts a span of work of {@code buildId} (see {@link #parent(String)}). */
  public Span span(String name, String buildId, SpanKind kind) {
    SpanBuilder b = tracer.spanBuilder(name).setParent(parent(buildId)).setSpanKind(kind);
    if (buildId != null) {
      b.setAttribute(BUILD_ID_ATTRIBUTE, buildId);
    }
    return b.startSpan();
  }

  /** The tracer spans of Goldsmith are started with. */
  public Tracer tracer() {
    return tracer;
  }

  /**
   * {@code message} with {@code buildId}'s trace as its parent: the connector's producer span and
   * the {@code traceparent} header it writes continue the build's trace.
   */
  public <T> Message<T> traced(Message<T> message, String buildId) {
    return message.addMetadata(TracingMetadata.withCurrent(parent(buildId)));
  }

  /** {@code message} with the trace of a stored {@code traceparent} (an outbox row) as parent. */
  public static <T> Message<T> tracedFrom(Message<T> message, String traceparent) {
    Context c =
        parse(traceparent).map(sc -> Context.root().with(Span.wrap(sc))).orElse(Context.current());
    return message.addMetadata(TracingMetadata.withCurrent(c));
  }

  /**
   * The {@code traceparent} of work of {@code buildId} now (see {@link #parent(String)}), if there
   * is a valid one.
   */
  public Optional<String> traceparent(String buildId) {
    SpanContext sc = spanOf(parent(buildId));
    return sc.isValid() ? Optional.of(format(sc)) : Optional.empty();
  }

  static SpanContext spanOf(Context c) {
    return Span.fromContext(c).getSpanContext();
  }

  /** The W3C {@code traceparent} of {@code sc}: {@code 00-<trace id>-<span id>-<flags>}. */
  public static String format(SpanContext sc) {
    return "00-" + sc.getTraceId() + "-" + sc.getSpanId() + "-" + sc.getTraceFlags().asHex();
  }

  /** Parses a W3C {@code traceparent}; empty when it is not one. */
  public static Optional<SpanContext> parse(String traceparent) {
    if (traceparent == null) {
      return Optional.empty();
    }
    String[] parts = traceparent.trim().split("-");
    if (parts.length < 4 || parts[0].length() != 2 || parts[3].length() != 2) {
      return Optional.empty();
    }
    try {
      SpanContext sc =
          SpanContext.createFromRemoteParent(
              parts[1],
              parts[2],
              TraceFlags.fromByte((byte) Integer.parseInt(parts[3], 16)),
              TraceState.getDefault());
      return sc.isValid() ? Optional.of(sc) : Optional.empty();
    } catch (RuntimeException e) {
      return Optional.empty();
    }
  }

  /** The trace id of a {@code traceparent}; empty when it is not one. */
  public static Optional<String> traceId(String traceparent) {
    return parse(traceparent).map(SpanContext::getTraceId);
  }

  private static Optional<String> header(Headers headers, String key) {
    if (headers == null) {
      return Optional.empty();
    }
    Header h = headers.lastHeader(key);
    return h == null || h.value() == null
        ? Optional.empty()
        : Optional.of(new String(h.value(), StandardCharsets.UTF_8));
  }
}
