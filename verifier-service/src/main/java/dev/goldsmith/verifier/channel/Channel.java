package dev.goldsmith.verifier.channel;

/**
 * The outcome of the channel probe.
 *
 * @param family {@code ipv4} or {@code ipv6}; null when no channel was found
 * @param host the address to use; null when no channel was found
 * @param detail what was tried and seen, for the report
 */
public record Channel(String family, String host, String detail) {

  public boolean established() {
    return host != null;
  }
}
