package dev.goldsmith.verifier.access;

import java.io.IOException;

/**
 * A listing the access audit depends on failed, came back empty where something must exist, or was
 * cut short (the passwd or group database, {@code sshd -T}, {@code ss}, a key file that cannot be
 * read). The audit cannot conclude, so it neither passes nor rejects the image: the attempt ends as
 * a channel failure and is retried on a fresh server.
 */
public class ListingException extends IOException {

  public ListingException(String message) {
    super(message);
  }
}
