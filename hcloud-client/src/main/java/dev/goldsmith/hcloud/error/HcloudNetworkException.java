package dev.goldsmith.hcloud.error;

/** The request did not get an HTTP answer (connection refused, reset, request timeout). */
public class HcloudNetworkException extends HcloudException {

  private final String method;
  private final String path;

  public HcloudNetworkException(String method, String path, Throwable cause) {
    super(
        "no answer from the hcloud API on "
            + method
            + " "
            + path
            + ": "
            + (cause == null
                ? "unknown"
                : cause.getClass().getSimpleName() + ": " + cause.getMessage()),
        cause);
    this.method = method;
    this.path = path;
  }

  /** HTTP method of the failed request. */
  public String method() {
    return method;
  }

  /** Path of the failed request. */
  public String path() {
    return path;
  }
}
