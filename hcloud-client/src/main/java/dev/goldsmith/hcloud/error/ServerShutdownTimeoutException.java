package dev.goldsmith.hcloud.error;

import java.time.Duration;

/** A server did not reach {@code off} in time, even after the fallback. */
public class ServerShutdownTimeoutException extends HcloudException {

  private final long serverId;

  public ServerShutdownTimeoutException(long serverId, String lastStatus, Duration waited) {
    super("server " + serverId + " still " + lastStatus + " after " + waited);
    this.serverId = serverId;
  }

  /** The server that did not stop. */
  public long serverId() {
    return serverId;
  }
}
