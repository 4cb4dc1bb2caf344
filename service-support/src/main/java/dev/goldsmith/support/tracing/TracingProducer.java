package dev.goldsmith.support.tracing;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import io.opentelemetry.api.OpenTelemetry;

/** The service's {@link BuildTraces}, on the application's OpenTelemetry (no-op without one). */
@ApplicationScoped
public class TracingProducer {
  @Produces
  @Singleton
  BuildTraces buildTraces(Instance<OpenTelemetry> otel) {
    BuildTraces traces = otel.isResolvable() ? new BuildTraces(otel.get()) : BuildTraces.noop();
    BuildTraces.share(traces);
    return traces;
  }
}
