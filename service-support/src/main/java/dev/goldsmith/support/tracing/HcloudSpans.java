package dev.goldsmith.support.tracing;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;

import dev.goldsmith.hcloud.HcloudObserver;

/**
 * A CLIENT span per Hetzner API attempt, named after its operation ({@code POST
 * /servers/{id}/actions/poweroff}), in the trace of the build being handled. Carries the method,
 * the path template and the status; never a token, an id or a request body.
 */
public final class HcloudSpans implements HcloudObserver {
  private final BuildTraces traces;

  public HcloudSpans(BuildTraces traces) {
    this.traces = traces;
  }

  @Override
  public Attempt started(String method, String operation) {
    Span span =
        traces
            .tracer()
            .spanBuilder("hcloud " + operation)
            .setParent(traces.parent())
            .setSpanKind(SpanKind.CLIENT)
            .setAttribute("http.request.method", method)
            .setAttribute("url.template", operation.substring(operation.indexOf(' ') + 1))
            .setAttribute("server.address", "hcloud")
            .startSpan();
    return (status, failure) -> {
      if (status > 0) {
        span.setAttribute("http.response.status_code", (long) status);
      }
      if (failure != null) {
        span.setStatus(StatusCode.ERROR, failure.getClass().getSimpleName());
      }
      span.end();
    };
  }
}
