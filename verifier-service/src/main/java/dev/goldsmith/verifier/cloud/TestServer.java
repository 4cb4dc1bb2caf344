package dev.goldsmith.verifier.cloud;

/**
 * A test server as the verifier needs it.
 *
 * @param ipv4 public IPv4 address, null when none
 * @param ipv6Host the {@code ::1} host address of the server's /64, null when none
 * @param status the API status ({@code initializing}, {@code starting}, {@code running}, …)
 */
public record TestServer(long id, String name, String ipv4, String ipv6Host, String status) {}
