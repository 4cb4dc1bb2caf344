package dev.goldsmith.hcloud;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;

/**
 * Configuration of an {@link HcloudClient}. The token is a secret: {@link #toString()} never shows
 * it.
 *
 * @param endpoint API base URL without trailing slash, e.g. {@code https://api.hetzner.cloud/v1}
 * @param token API token sent as {@code Authorization: Bearer <token>}
 * @param userAgent sent as {@code User-Agent}; {@code goldsmith/<version>} by default
 * @param retry retry policy for retryable failures
 * @param actionPoll poll policy for action and server waits
 * @param requestTimeout timeout of a single HTTP request
 */
public record HcloudConfig(
    String endpoint,
    String token,
    String userAgent,
    RetrySettings retry,
    ActionPollSettings actionPoll,
    Duration requestTimeout) {

  /** The public API. */
  public static final String DEFAULT_ENDPOINT = "https://api.hetzner.cloud/v1";

  public HcloudConfig {
    Objects.requireNonNull(endpoint, "endpoint");
    Objects.requireNonNull(token, "token");
    endpoint = endpoint.trim();
    while (endpoint.endsWith("/")) {
      endpoint = endpoint.substring(0, endpoint.length() - 1);
    }
    if (!endpoint.startsWith("http://") && !endpoint.startsWith("https://")) {
      throw new IllegalArgumentException("endpoint must be an http(s) URL: " + endpoint);
    }
    if (token.isBlank()) {
      throw new IllegalArgumentException("token is empty");
    }
    userAgent = userAgent == null || userAgent.isBlank() ? defaultUserAgent() : userAgent;
    retry = retry == null ? RetrySettings.defaults() : retry;
    actionPoll = actionPoll == null ? ActionPollSettings.defaults() : actionPoll;
    requestTimeout = requestTimeout == null ? Duration.ofSeconds(30) : requestTimeout;
    RetrySettings.requirePositive(requestTimeout, "requestTimeout");
  }

  /** Defaults for everything but endpoint and token. */
  public static HcloudConfig of(String endpoint, String token) {
    return new HcloudConfig(endpoint, token, null, null, null, null);
  }

  /**
   * Reads {@code HCLOUD_TOKEN} (required) and {@code HCLOUD_ENDPOINT} (default {@value
   * #DEFAULT_ENDPOINT}) from the process environment, as the hcloud CLI does.
   *
   * @throws IllegalStateException when {@code HCLOUD_TOKEN} is unset or empty
   */
  public static HcloudConfig fromEnv() {
    return fromEnv(System.getenv());
  }

  /** As {@link #fromEnv()}, from a given map (for tests). */
  public static HcloudConfig fromEnv(Map<String, String> env) {
    String token = env.get("HCLOUD_TOKEN");
    if (token == null || token.isBlank()) {
      throw new IllegalStateException("HCLOUD_TOKEN is not set");
    }
    String endpoint = env.get("HCLOUD_ENDPOINT");
    if (endpoint == null || endpoint.isBlank()) {
      endpoint = DEFAULT_ENDPOINT;
    }
    return of(endpoint, token.trim());
  }

  /** {@code goldsmith/<version of this module>}. */
  public static String defaultUserAgent() {
    return "goldsmith/" + Version.VALUE;
  }

  public HcloudConfig withEndpoint(String url) {
    return new HcloudConfig(url, token, userAgent, retry, actionPoll, requestTimeout);
  }

  public HcloudConfig withUserAgent(String agent) {
    return new HcloudConfig(endpoint, token, agent, retry, actionPoll, requestTimeout);
  }

  public HcloudConfig withRetry(RetrySettings settings) {
    return new HcloudConfig(endpoint, token, userAgent, settings, actionPoll, requestTimeout);
  }

  public HcloudConfig withActionPoll(ActionPollSettings settings) {
    return new HcloudConfig(endpoint, token, userAgent, retry, settings, requestTimeout);
  }

  public HcloudConfig withRequestTimeout(Duration timeout) {
    return new HcloudConfig(endpoint, token, userAgent, retry, actionPoll, timeout);
  }

  @Override
  public String toString() {
    return "HcloudConfig[endpoint="
        + endpoint
        + ", token=<redacted>, userAgent="
        + userAgent
        + ", retry="
        + retry
        + ", actionPoll="
        + actionPoll
        + ", requestTimeout="
        + requestTimeout
        + "]";
  }

  /** The module version, read once from the filtered {@code version.properties}. */
  static final class Version {
    static final String VALUE = load();

    private static String load() {
      try (InputStream in = HcloudConfig.class.getResourceAsStream("version.properties")) {
        if (in == null) {
          return "dev";
        }
        Properties p = new Properties();
        p.load(in);
        String v = p.getProperty("version", "dev");
        return v.contains("${") ? "dev" : v;
      } catch (IOException e) {
        return "dev";
      }
    }

    private Version() {}
  }
}
