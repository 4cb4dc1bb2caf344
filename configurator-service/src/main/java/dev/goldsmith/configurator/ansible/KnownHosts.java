package dev.goldsmith.configurator.ansible;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import dev.goldsmith.events.Patterns;

/**
 * A build's own known_hosts file: the builder's pinned host key under the addresses ssh will look
 * it up by. OpenSSH looks a host up by the literal it connects to when the port is 22 (an IPv6
 * literal bare, {@code 2001:db8::1}) and by {@code [literal]:port} for any other port (IPv4 and
 * IPv6 alike, {@code [2001:db8::1]:2222}). Written before the first connection; ssh runs with
 * {@code StrictHostKeyChecking=yes}, so any other key, or a host it does not find here, fails.
 */
public final class KnownHosts {
  private static final Pattern HOST_KEY = Pattern.compile(Patterns.HOST_KEY);
  private static final int DEFAULT_PORT = 22;

  private KnownHosts() {}

  /** The host pattern ssh matches for {@code address:port}. */
  public static String hostPattern(HostAddress address, int port) {
    return port == DEFAULT_PORT ? address.literal() : "[" + address.literal() + "]:" + port;
  }

  /**
   * The known_hosts line pinning {@code hostKey} ({@code <type> <base64>}, nothing else) for every
   * address.
   *
   * @throws IllegalArgumentException when the key is not a bare public key or no address is given
   */
  public static String line(List<HostAddress> addresses, int port, String hostKey) {
    if (hostKey == null || !HOST_KEY.matcher(hostKey).matches()) {
      throw new IllegalArgumentException("host key is not '<type> <base64>': " + hostKey);
    }
    if (addresses.isEmpty()) {
      throw new IllegalArgumentException("no address to pin the host key for");
    }
    return addresses.stream()
            .map(a -> hostPattern(a, port))
            .distinct()
            .collect(Collectors.joining(","))
        + " "
        + hostKey
        + "\n";
  }

  /** Replaces {@code file} atomically with the one line pinning {@code hostKey}. */
  public static void write(Path file, List<HostAddress> addresses, int port, String hostKey)
      throws IOException {
    String content = line(addresses, port, hostKey);
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.writeString(tmp, content, StandardCharsets.US_ASCII);
    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }
}
