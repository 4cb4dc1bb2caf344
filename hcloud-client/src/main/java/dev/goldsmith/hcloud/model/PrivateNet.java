package dev.goldsmith.hcloud.model;

import java.util.List;

/** A server's attachment to a private network. */
public record PrivateNet(long network, String ip, List<String> aliasIps, String macAddress) {

  public PrivateNet {
    aliasIps = aliasIps == null ? List.of() : List.copyOf(aliasIps);
  }
}
