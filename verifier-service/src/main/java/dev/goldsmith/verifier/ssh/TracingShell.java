package dev.goldsmith.verifier.ssh;

import java.io.IOException;
import java.time.Duration;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Context;

import dev.goldsmith.support.tracing.BuildTraces;

/**
 * A span per SSH command (each check of the matrix, the image and the access audit is one), in the
 * build's trace: {@code ssh check <label>} with the endpoint, exit code and whether it timed out.
 * The command's output never goes on the span.
 */
public final class TracingShell extends ForwardingShell {
  private final BuildTraces traces;

  public TracingShell(RemoteShell shell, BuildTraces traces) {
    super(shell);
    this.traces = traces;
  }

  @Override
  public ExecResult exec(String command, Duration timeout) throws IOException {
    Span span =
        traces
            .tracer()
            .spanBuilder("ssh check " + label(command))
            .setParent(Context.current())
            .setSpanKind(SpanKind.CLIENT)
            .setAttribute("goldsmith.ssh.endpoint", shell.endpoint())
            .startSpan();
    try {
      ExecResult r = shell.exec(command, timeout);
      if (r.exitCode() != null) {
        span.setAttribute("goldsmith.ssh.exit_code", (long) r.exitCode());
      }
      span.setAttribute("goldsmith.ssh.timed_out", r.timedOut());
      return r;
    } catch (IOException | RuntimeException e) {
      span.setStatus(StatusCode.ERROR, e.getClass().getSimpleName());
      throw e;
    } finally {
      span.end();
    }
  }

  /** The command's first word (the program the check runs), at most 40 characters. */
  static String label(String command) {
    String c = command == null ? "" : command.strip();
    int end = 0;
    while (end < c.length() && !Character.isWhitespace(c.charAt(end)) && end < 40) {
      end++;
    }
    return end == 0 ? "command" : c.substring(0, end);
  }
}
