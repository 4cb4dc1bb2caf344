package dev.goldsmith.verifier.channel;

import java.time.Duration;
import java.util.Optional;

/** One TCP connect attempt. */
@FunctionalInterface
public interface PortProbe {

  /** Empty when {@code host:port} accepted a TCP connection, else what went wrong. */
  Optional<String> probe(String host, int port, Duration timeout);
}
