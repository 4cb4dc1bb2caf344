package dev.goldsmith.verifier.cloud;

/**
 * The cloud API is unavailable (network error, 5xx, timeout, after the client's own retries) where
 * the verification cannot go on without it: registering the verifier's key or creating a test
 * server. Not a verdict: the record is retried in place until the API is back (the consumer policy
 * classifies the cause as {@code cloud}).
 */
public class CloudUnavailableException extends RuntimeException {
  public CloudUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
