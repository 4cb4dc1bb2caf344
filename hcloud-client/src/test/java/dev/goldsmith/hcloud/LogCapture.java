package dev.goldsmith.hcloud;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

/** Captures every log line (formatted message plus stack trace) of the whole JVM at ALL level. */
public final class LogCapture extends Handler implements AutoCloseable {

  private final List<String> lines = Collections.synchronizedList(new ArrayList<>());
  private final Logger root = Logger.getLogger("");
  private final Level rootLevel;
  private final SimpleFormatter formatter = new SimpleFormatter();

  public LogCapture() {
    rootLevel = root.getLevel();
    setLevel(Level.ALL);
    root.setLevel(Level.ALL);
    root.addHandler(this);
  }

  @Override
  public void publish(LogRecord r) {
    StringBuilder b = new StringBuilder();
    b.append(r.getLevel()).append(' ').append(r.getLoggerName()).append(' ');
    b.append(formatter.formatMessage(r));
    if (r.getThrown() != null) {
      StringWriter w = new StringWriter();
      r.getThrown().printStackTrace(new PrintWriter(w));
      b.append('\n').append(w);
    }
    lines.add(b.toString());
  }

  public List<String> lines() {
    synchronized (lines) {
      return List.copyOf(lines);
    }
  }

  @Override
  public void flush() {}

  @Override
  public void close() {
    root.removeHandler(this);
    root.setLevel(rootLevel);
  }
}
