package dev.goldsmith.emulator.backend;

import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * What a server fault breaks. Each backend supports some of the kinds ({@link
 * ServerBackend#faultKinds()}); a rule of another kind is refused.
 */
public enum ServerFaultKind {
  /**
   * Virtual: shutdown requests are ignored, the server stays {@code stopping} until powered off.
   */
  IGNORE_SHUTDOWN(Targeting.ANY),
  /** Virtual: the named backend {@code operation} throws; its action ends in error. */
  FAIL(Targeting.ANY),
  /** Hosts: all IPv4 traffic on the server's {@code eth0} is dropped (nftables in its netns). */
  IPV4_DROP(Targeting.ONE),
  /** Hosts: all IPv6 traffic on the server's {@code eth0} is dropped. */
  IPV6_DROP(Targeting.ONE),
  /** Hosts: sshd of the server is stopped; connections are refused. */
  SSHD_STOPPED(Targeting.ONE),
  /** Hosts: sshd starts {@code seconds} late at the server's next boots. */
  SLOW_BOOT(Targeting.ONE);

  /** Which target fields a rule of the kind takes. */
  public enum Targeting {
    /**
     * Any of {@code server_id}, {@code server_name}, {@code label_selector}, all of which must
     * match at the time of the operation; none means every server.
     */
    ANY,
    /**
     * Exactly one of {@code server_id} (applies to that server at once) or {@code label_selector}
     * (binds to servers created later whose labels match).
     */
    ONE
  }

  private final Targeting targeting;

  ServerFaultKind(Targeting targeting) {
    this.targeting = targeting;
  }

  public Targeting targeting() {
    return targeting;
  }

  /** The name on the control API, e.g. {@code ipv4_drop}. */
  public String wire() {
    return name().toLowerCase();
  }

  public static Optional<ServerFaultKind> fromWire(String value) {
    return Arrays.stream(values()).filter(k -> k.wire().equals(value)).findFirst();
  }

  public static List<String> wireNames(Collection<ServerFaultKind> kinds) {
    return kinds.stream().sorted().map(ServerFaultKind::wire).toList();
  }
}
