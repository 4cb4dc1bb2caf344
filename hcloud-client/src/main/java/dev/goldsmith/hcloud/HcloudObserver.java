package dev.goldsmith.hcloud;

import java.util.List;
import java.util.regex.Pattern;

/**
 * Sees every HTTP attempt of the client (each retry is an attempt of its own): metrics and traces
 * hook in here without the client depending on them. {@link HcloudMetrics#requests} counts them;
 * service-support adds a span per attempt. Implementations must be thread-safe, fast and must not
 * throw.
 */
public interface HcloudObserver {

  /** Sees nothing. */
  HcloudObserver NONE = (method, operation) -> (status, failure) -> {};

  /**
   * An attempt starts, on the thread that sends it.
   *
   * @param method GET, POST, PUT or DELETE
   * @param operation the method and path template, e.g. {@code POST /servers/{id}/actions/poweroff}
   *     (see {@link #operation}); never a raw id, a query or a token
   * @return what to tell when the attempt ended
   */
  Attempt started(String method, String operation);

  /** The end of one attempt. */
  interface Attempt {
    /**
     * The attempt ended.
     *
     * @param status the HTTP status, or 0 when no response came (network error, timeout)
     * @param failure the error the attempt ended with (API error, network), or null on 2xx
     */
    void ended(int status, Throwable failure);
  }

  /** Both observers, in order. */
  static HcloudObserver both(HcloudObserver first, HcloudObserver second) {
    List<HcloudObserver> all = List.of(first, second);
    return (method, operation) -> {
      Attempt[] attempts = new Attempt[all.size()];
      for (int i = 0; i < attempts.length; i++) {
        attempts[i] = all.get(i).started(method, operation);
      }
      return (status, failure) -> {
        for (Attempt a : attempts) {
          a.ended(status, failure);
        }
      };
    };
  }

  /** Numeric path segments (ids) of the API's paths. */
  Pattern ID_SEGMENT = Pattern.compile("/\\d+(?=/|$)");

  /**
   * The operation of a request: the method and the path without its query and with every numeric
   * segment replaced by {@code {id}}: {@code POST /servers/42/actions/poweroff?x=1} is {@code POST
   * /servers/{id}/actions/poweroff}.
   */
  static String operation(String method, String pathAndQuery) {
    String path = pathAndQuery;
    int q = path.indexOf('?');
    if (q >= 0) {
      path = path.substring(0, q);
    }
    return method + " " + ID_SEGMENT.matcher(path).replaceAll("/{id}");
  }
}
