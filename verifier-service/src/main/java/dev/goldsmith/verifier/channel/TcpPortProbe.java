package dev.goldsmith.verifier.channel;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.Optional;

/** A plain TCP connect with a timeout; the socket is closed at once. */
public final class TcpPortProbe implements PortProbe {

  @Override
  public Optional<String> probe(String host, int port, Duration timeout) {
    try (Socket s = new Socket()) {
      // The host is an address literal from the API, so no name lookup happens here.
      s.connect(new InetSocketAddress(host, port), (int) Math.max(1, timeout.toMillis()));
      return Optional.empty();
    } catch (IOException e) {
      return Optional.of(e.getClass().getSimpleName() + ": " + e.getMessage());
    }
  }
}
