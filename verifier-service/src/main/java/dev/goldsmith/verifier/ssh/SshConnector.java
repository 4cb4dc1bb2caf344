package dev.goldsmith.verifier.ssh;

import java.time.Duration;

import dev.goldsmith.support.ssh.SshPublicKey;

/** Opens root SSH sessions to test servers, pinning each server's host key. */
public interface SshConnector {

  /**
   * Connects as root to {@code host:port}, accepting only {@code pinnedHostKey}.
   *
   * @param family {@code ipv4} or {@code ipv6}, for reports
   * @throws SshConnectException when the channel cannot be established
   */
  RemoteShell connect(
      String host, int port, String family, SshPublicKey pinnedHostKey, Duration timeout)
      throws SshConnectException;
}
