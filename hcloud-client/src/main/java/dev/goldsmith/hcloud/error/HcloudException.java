package dev.goldsmith.hcloud.error;

/** Base of every exception this client throws. Messages never contain the API token. */
public class HcloudException extends RuntimeException {

  public HcloudException(String message) {
    super(message);
  }

  public HcloudException(String message, Throwable cause) {
    super(message, cause);
  }
}
