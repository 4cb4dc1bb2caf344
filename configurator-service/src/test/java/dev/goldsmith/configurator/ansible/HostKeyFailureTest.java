package dev.goldsmith.configurator.ansible;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** What OpenSSH prints (as Ansible passes it on) for each way a connection fails. */
class HostKeyFailureTest {

  @Test
  void aChangedKeyIsAHostKeyRefusal() {
    assertThat(
            HostKeyFailure.isHostKeyRefused(
                "Failed to connect to the host via ssh:"
                    + " @@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@\r\n"
                    + "@    WARNING: REMOTE HOST IDENTIFICATION HAS CHANGED!     @\r\n"
                    + "Host key for 10.213.0.7 has changed and you have requested strict"
                    + " checking.\r\nHost key verification failed."))
        .isTrue();
  }

  @Test
  void aHostWithoutAPinnedKeyIsAHostKeyRefusal() {
    assertThat(
            HostKeyFailure.isHostKeyRefused(
                "Failed to connect to the host via ssh: No ED25519 host key is known for"
                    + " 2001:db8::1 and you have requested strict checking.\r\n"
                    + "Host key verification failed."))
        .isTrue();
  }

  @Test
  void networkAndAuthenticationFailuresAreNot() {
    assertThat(
            HostKeyFailure.isHostKeyRefused(
                "Failed to connect to the host via ssh: ssh: connect to host 127.0.0.1 port 9:"
                    + " Connection refused"))
        .isFalse();
    assertThat(
            HostKeyFailure.isHostKeyRefused(
                "Failed to connect to the host via ssh: Warning: Permanently added '10.0.0.7'"
                    + " (ED25519) to the list of known hosts.\r\nroot@10.0.0.7: Permission"
                    + " denied (publickey)."))
        .isFalse();
    assertThat(HostKeyFailure.isHostKeyRefused(null)).isFalse();
  }
}
